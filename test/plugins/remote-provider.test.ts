// RemoteProvider's own behaviour beyond the conformance kit: retries of rate-limited
// and transient answers, bounded and reported.
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import {
  type EnumeratorAll,
  ErrProviderMethodUnimplemented,
  ErrRateLimited,
  errorIs,
  isEnumerator,
  isEnumeratorAll,
  type ResourceRef,
} from "../../src/contracts/index.js";
import { readPluginManifest } from "../../src/plugins/plugin-manifest.js";
import {
  type PluginRetry,
  RemoteProvider,
  type RemoteProviderOptions,
} from "../../src/plugins/remote-provider.js";

const dir = fileURLToPath(new URL("../doubles/rpc-test-plugin/", import.meta.url));
const plugin = { dir, manifest: readPluginManifest(dir) };
const open: RemoteProvider[] = [];

async function provider(options: RemoteProviderOptions) {
  const remote = new RemoteProvider(plugin, { retryDelayMs: 10, ...options });
  open.push(remote);
  await remote.initialize({});
  return remote;
}

// The test plugin answers provider.status rate-limited `failures` times first.
const failing = (failures: number) => [{ failures } as unknown as ResourceRef];

afterEach(async () => {
  await Promise.all(open.splice(0).map((p) => p.close()));
});

describe("RemoteProvider", () => {
  it("retries a rate-limited call with growing delays, reporting each retry", async () => {
    const retries: PluginRetry[] = [];
    const remote = await provider({ onRetry: (r) => retries.push(r) });
    await expect(remote.status(failing(2))).resolves.toEqual([]);
    expect(retries.map(({ method, retry, of }) => [method, retry, of])).toEqual([
      ["provider.status", 1, 3],
      ["provider.status", 2, 3],
    ]);
    expect(retries[0]?.error).toBe("slow down: iac: rate limited");
    expect(retries[1]?.delayMs).toBeGreaterThan(retries[0]?.delayMs ?? 0);
  });

  it("gives up after the last retry with the plugin's error", async () => {
    const retries: PluginRetry[] = [];
    const remote = await provider({ retries: 1, onRetry: (r) => retries.push(r) });
    const err = await remote.status(failing(5)).catch((e: unknown) => e);
    expect(errorIs(err, ErrRateLimited)).toBe(true);
    expect(retries).toHaveLength(1);
  });

  it("has the optional methods the plugin lists, and one it cannot serve answers the unimplemented sentinel", async () => {
    const remote = await provider({});
    // The test plugin lists provider.enumerate_all in `optional` but does not implement it.
    expect(isEnumeratorAll(remote)).toBe(true);
    expect(isEnumerator(remote)).toBe(false);
    const err = await (remote as unknown as EnumeratorAll)
      .enumerateAll("infra.vpc")
      .catch((e: unknown) => e);
    expect(errorIs(err, ErrProviderMethodUnimplemented)).toBe(true);
  });
});
