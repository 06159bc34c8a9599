// A real plugin process (test/doubles/rpc-test-plugin) over JSON-RPC: overlapping
// requests, error answers as the seed's sentinels, and a plugin that crashes or stops
// answering failing what is in flight instead of hanging.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import {
  ErrProviderMethodUnimplemented,
  ErrRateLimited,
  ErrResourceNotFound,
  errorIs,
} from "../../src/contracts/index.js";
import {
  PluginConnection,
  type PluginConnectionOptions,
} from "../../src/plugins/plugin-connection.js";
import { initializePlugin } from "../../src/plugins/plugin-handshake.js";
import { readPluginManifest } from "../../src/plugins/plugin-manifest.js";

const dir = fileURLToPath(new URL("../doubles/rpc-test-plugin/", import.meta.url));
const plugin = { dir: path.resolve(dir), manifest: readPluginManifest(dir) };
const open: PluginConnection[] = [];

async function connect(options: PluginConnectionOptions = {}) {
  const connection = await PluginConnection.start(plugin, options);
  open.push(connection);
  return connection;
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

describe("PluginConnection", () => {
  it("initializes, then answers overlapping requests in any order", async () => {
    const connection = await connect();
    const init = await initializePlugin(connection, {});
    expect(init).toMatchObject({
      name: "rpc-test",
      compute_plan_version: "v2",
      optional: ["provider.enumerate_all"],
    });
    const finished: number[] = [];
    const answers = await Promise.all(
      [300, 200, 100, 0].map(async (ms) => {
        const answer = await connection.request<{ value: number }>("echo", { ms, value: ms });
        finished.push(ms);
        return answer.value;
      }),
    );
    expect(answers).toEqual([300, 200, 100, 0]);
    // Answered as each finished, not in the order sent: the requests overlapped.
    expect(finished).toEqual([0, 100, 200, 300]);
  });

  it("refuses a plugin that speaks another plan protocol", async () => {
    await expect(initializePlugin(await connect(), { plan_version: "v1" })).rejects.toThrow(
      'plugin "rpc-test-plugin" answers compute_plan_version "v1"; this wfctl speaks "v2" only',
    );
  });

  it("maps error answers to the seed's sentinels, keeping their messages", async () => {
    const connection = await connect();
    const missing = await connection
      .request("provider.no_such_method", {})
      .catch((e: unknown) => e);
    expect(errorIs(missing, ErrProviderMethodUnimplemented)).toBe(true);
    const notFound = await connection
      .request("fail_with", { sentinel: "not_found", message: "bucket b: iac: resource not found" })
      .catch((e: unknown) => e);
    expect(errorIs(notFound, ErrResourceNotFound)).toBe(true);
    expect((notFound as Error).message).toBe("bucket b: iac: resource not found");
    const limited = await connection
      .request("fail_with", { sentinel: "rate_limited", message: "slow down" })
      .catch((e: unknown) => e);
    expect(errorIs(limited, ErrRateLimited)).toBe(true);
    expect((limited as Error).message).toBe("slow down: iac: rate limited");
    await expect(connection.request("fail_with", { message: "quota exceeded" })).rejects.toThrow(
      'plugin "rpc-test-plugin": fail_with failed: quota exceeded',
    );
  });

  it("fails the requests in flight when the plugin crashes, naming it and its last stderr lines", async () => {
    const connection = await connect();
    const slow = connection.request("echo", { ms: 5_000 });
    const crash = connection.request("crash", {});
    for (const pending of [slow, crash]) {
      const err = (await pending.catch((e: unknown) => e)) as Error;
      expect(err.message).toMatch(
        /^plugin "rpc-test-plugin" exited \(code 3\); its last stderr lines:\n/,
      );
      expect(err.message).toContain("about to crash: disk on fire");
    }
    // Later requests fail at once rather than waiting.
    await expect(connection.request("echo", {})).rejects.toThrow('plugin "rpc-test-plugin" exited');
  });

  it("gives up on a plugin that stops answering, and stops it", async () => {
    const connection = await connect({ callTimeoutMs: 300 });
    const started = performance.now();
    await expect(connection.request("hang", {})).rejects.toThrow(
      'plugin "rpc-test-plugin" did not answer hang within 300 ms',
    );
    expect(performance.now() - started).toBeLessThan(2_000);
    await expect(connection.request("echo", {})).rejects.toThrow("did not answer hang");
  });

  it("reports a command that cannot start", async () => {
    const broken = {
      dir: plugin.dir,
      manifest: { ...plugin.manifest, command: ["./no-such-program"] },
    };
    const connection = await PluginConnection.start(broken);
    open.push(connection);
    await expect(connection.request("echo", {})).rejects.toThrow(
      'plugin "rpc-test-plugin" cannot start (./no-such-program)',
    );
  });
});
