import { describe, expect, it } from "vitest";
import { scaleResource } from "../../../src/iac/operations/index.js";
import { ProviderSet } from "../../../src/iac/provider-set.js";
import { entryFor, fakeProvider, storeWith } from "./operation-fixtures.js";

async function scalable() {
  const cloud = await fakeProvider();
  const api = cloud.seed({ name: "api", type: "infra.app", config: { instance_count: 1 } });
  const store = await storeWith([
    entryFor(api, { outputs: { id: api.id, endpoint: "https://stale.test", note: "kept" } }),
  ]);
  return { cloud, store, providers: ProviderSet.of({ cloud }) };
}

describe("scaleResource", () => {
  it("scales through the driver and saves the live outputs, leaving the applied config as the source of truth", async () => {
    const { cloud, store, providers } = await scalable();

    const scaled = await scaleResource({ name: "api", replicas: 3, store, providers });

    expect(cloud.records()[0]?.config.instance_count).toBe(3);
    const saved = await store.getResource("api");
    expect(saved).toEqual(scaled);
    expect(saved?.outputs).toMatchObject({ endpoint: "https://api.fake.test", note: "kept" });
    expect(saved?.applied_config).toEqual({ instance_count: 1 });
  });

  it("names a resource state does not have", async () => {
    const { store, providers } = await scalable();

    await expect(scaleResource({ name: "web", replicas: 2, store, providers })).rejects.toThrow(
      /no resource named "web" in state/,
    );
  });

  it("refuses when the provider does not declare scale for the type", async () => {
    const { cloud, store, providers } = await scalable();
    cloud.capabilities = () => [
      { resource_type: "infra.app", tier: 3, operations: ["create", "read", "update", "delete"] },
    ];

    await expect(scaleResource({ name: "api", replicas: 2, store, providers })).rejects.toThrow(
      'provider "cloud" cannot scale infra.app resources such as api',
    );
    expect(cloud.records()[0]?.config.instance_count).toBe(1);
  });

  it("rejects a negative or fractional replica count", async () => {
    const { store, providers } = await scalable();

    await expect(scaleResource({ name: "api", replicas: -1, store, providers })).rejects.toThrow(
      /whole number of 0 or more/,
    );
    await expect(scaleResource({ name: "api", replicas: 1.5, store, providers })).rejects.toThrow(
      /whole number/,
    );
  });
});
