import { describe, expect, it } from "vitest";
import type { IaCProvider } from "../../../src/contracts/index.js";
import { bootstrapStateBackend } from "../../../src/iac/operations/index.js";
import { ProviderSet } from "../../../src/iac/provider-set.js";
import { fakeProvider, unimplemented } from "./operation-fixtures.js";

describe("bootstrapStateBackend", () => {
  it.each([
    [undefined, "filesystem"],
    [{ backend: "sqlite", path: "s.db" }, "sqlite"],
    [{ backend: "postgres", dsn: "postgres://x" }, "postgres"],
  ])("needs no provider for wfctl's own backends (%j)", async (stateModuleConfig, backend) => {
    const cloud: IaCProvider = await fakeProvider();
    let asked = false;
    cloud.bootstrapStateBackend = async () => {
      asked = true;
      return undefined;
    };

    const report = await bootstrapStateBackend({
      stateModuleConfig,
      providers: ProviderSet.of({ cloud }),
    });

    expect(report).toEqual({
      backend,
      note: `the ${backend} state backend needs no bootstrap: wfctl creates it on first use`,
      results: [],
    });
    expect(asked).toBe(false);
  });

  it("asks every provider for any other backend; one that manages none answers undefined", async () => {
    const cloud: IaCProvider = await fakeProvider();
    const other = await fakeProvider();
    other.bootstrapStateBackend = unimplemented("BootstrapStateBackend");
    let seen: Record<string, unknown> | undefined;
    const bootstrap = cloud.bootstrapStateBackend.bind(cloud);
    cloud.bootstrapStateBackend = async (cfg) => {
      seen = cfg;
      return bootstrap(cfg);
    };

    const report = await bootstrapStateBackend({
      stateModuleConfig: { backend: "s3", bucket: "b" },
      providers: ProviderSet.of({ cloud, other }),
    });

    expect(seen).toEqual({ backend: "s3", bucket: "b" });
    expect(report).toEqual({
      backend: "s3",
      results: [
        {
          provider: "cloud",
          result: { bucket: "fake-state", env_vars: { WFCTL_STATE_BUCKET: "fake-state" } },
        },
        { provider: "other", result: undefined },
      ],
    });
  });

  it("names each provider that fails", async () => {
    const cloud = await fakeProvider();
    cloud.bootstrapStateBackend = async () => {
      throw new Error("bucket name taken");
    };

    await expect(
      bootstrapStateBackend({
        stateModuleConfig: { backend: "s3" },
        providers: ProviderSet.of({ cloud }),
      }),
    ).rejects.toThrow(
      'bootstrapping the s3 state backend failed: provider "cloud": bucket name taken',
    );
  });
});
