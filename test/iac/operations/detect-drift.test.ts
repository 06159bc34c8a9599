import { describe, expect, it } from "vitest";
import type { ResourceRef, ResourceSpec } from "../../../src/contracts/index.js";
import { detectDrift } from "../../../src/iac/operations/index.js";
import { ProviderSet } from "../../../src/iac/provider-set.js";
import { entryFor, fakeProvider, storeWith, unimplemented } from "./operation-fixtures.js";

/** A cloud with one resource of each drift kind, and the state an apply left. */
async function driftedCloud(config: Record<string, unknown> = {}) {
  const cloud = await fakeProvider(config);
  const vpc = cloud.seed({ name: "vpc", type: "infra.vpc", config: { cidr: "10.0.0.0/16" } });
  const db = cloud.seed({ name: "db", type: "infra.database", config: { version: "16" } });
  const gone = cloud.seed({ name: "cache", type: "infra.database", config: { version: "7" } });
  const adopted = cloud.seed({ name: "legacy", type: "infra.compute", config: { cpu: 1 } });
  const entries = [
    entryFor(vpc),
    entryFor(db, { appliedConfig: { version: "15" } }),
    entryFor(gone),
    entryFor(adopted, { source: "adoption", appliedConfig: { cpu: 4 } }),
  ];
  cloud.vanish("cache");
  const store = await storeWith(entries);
  return { cloud, store, providers: ProviderSet.of({ cloud }) };
}

const classes = (results: { name: string; class?: string }[]) =>
  Object.fromEntries(results.map((r) => [r.name, r.class]));

describe("detectDrift", () => {
  it("falls back to driver reads: ghost when not found, config with fields from the driver's diff, existence only for adopted entries", async () => {
    const { cloud, store, providers } = await driftedCloud();
    cloud.detectDrift = unimplemented("DetectDrift");

    const results = await detectDrift({ providers, store });

    expect(results.map((r) => r.name)).toEqual(["cache", "db", "legacy", "vpc"]);
    expect(classes(results)).toEqual({
      vpc: "in-sync",
      db: "config",
      cache: "ghost",
      legacy: "in-sync",
    });
    expect(results.find((r) => r.name === "db")).toEqual({
      name: "db",
      type: "infra.database",
      drifted: true,
      class: "config",
      fields: ["version"],
      expected: { version: "15" },
      actual: { version: "16" },
    });
    expect(results.map((r) => r.drifted)).toEqual([true, true, false, false]);
  });

  it("records last_drift_check on every checked resource", async () => {
    const { cloud, store, providers } = await driftedCloud();
    cloud.detectDrift = unimplemented("DetectDrift");
    const before = new Date().toISOString();

    await detectDrift({ providers, store });

    const saved = await store.listResources();
    expect(saved).toHaveLength(4);
    for (const entry of saved) {
      expect(entry.last_drift_check).toBeDefined();
      expect(entry.last_drift_check! >= before).toBe(true);
    }
  });

  it("passes DriftConfigDetector specs only for entries applied by wfctl", async () => {
    const { cloud, store, providers } = await driftedCloud({ capabilities: ["drift_config"] });
    const seen: Record<string, ResourceSpec>[] = [];
    const detect = cloud.detectDriftWithSpecs.bind(cloud);
    cloud.detectDriftWithSpecs = (refs: readonly ResourceRef[], specs) => {
      seen.push({ ...specs });
      return detect(refs, specs);
    };

    const results = await detectDrift({ providers, store });

    expect(Object.keys(seen[0] ?? {}).sort()).toEqual(["cache", "db", "vpc"]);
    expect(seen[0]?.db?.config).toEqual({ version: "15" });
    expect(classes(results)).toEqual({
      vpc: "in-sync",
      db: "config",
      cache: "ghost",
      legacy: "in-sync",
    });
    expect(cloud.calls.filter((c) => c.op === "read")).toEqual([]);
  });

  it("uses the provider's detectDrift when it gives classes, without reading each resource", async () => {
    const { cloud, store, providers } = await driftedCloud();

    const results = await detectDrift({ providers, store });

    // The fake's detectDrift checks existence only.
    expect(classes(results)).toEqual({
      vpc: "in-sync",
      db: "in-sync",
      cache: "ghost",
      legacy: "in-sync",
    });
    expect(cloud.calls.filter((c) => c.op === "read")).toEqual([]);
  });

  it("reads the resources detectDrift leaves unclassified", async () => {
    const { cloud, store, providers } = await driftedCloud();
    cloud.detectDrift = async (refs) =>
      refs.map((r) => ({ name: r.name, type: r.type, drifted: false, class: "" as const }));

    const results = await detectDrift({ providers, store });

    expect(classes(results)).toEqual({
      vpc: "in-sync",
      db: "config",
      cache: "ghost",
      legacy: "in-sync",
    });
  });

  it("falls through an unimplemented DriftConfigDetector to the next strategy", async () => {
    const { cloud, store, providers } = await driftedCloud({ capabilities: ["drift_config"] });
    cloud.detectDriftWithSpecs = unimplemented("DetectDriftWithSpecs");
    cloud.detectDrift = unimplemented("DetectDrift");

    expect(classes(await detectDrift({ providers, store })).db).toBe("config");
  });

  it("fails naming every resource it could not read, and records nothing", async () => {
    const { cloud, store, providers } = await driftedCloud({
      fail_on: { db: ["read"], vpc: ["read"] },
    });
    cloud.detectDrift = unimplemented("DetectDrift");

    const failure = detectDrift({ providers, store });

    await expect(failure).rejects.toThrow(/db \(infra\.database\): .*injected read failure/);
    await expect(failure).rejects.toThrow(/vpc \(infra\.vpc\)/);
    for (const entry of await store.listResources()) expect(entry.last_drift_check).toBeUndefined();
  });

  it("names the provider module when state refers to one the config no longer has", async () => {
    const { store } = await driftedCloud();

    await expect(detectDrift({ providers: ProviderSet.of({}), store })).rejects.toThrow(
      /state says provider module "cloud" manages cache, db, legacy, vpc, but the config declares no iac.provider module of that name/,
    );
  });
});
