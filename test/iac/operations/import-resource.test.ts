import { describe, expect, it } from "vitest";
import type { DesiredResource } from "../../../src/iac/desired-resources.js";
import { configHash } from "../../../src/iac/hashing.js";
import { importResource } from "../../../src/iac/operations/index.js";
import { ProviderSet } from "../../../src/iac/provider-set.js";
import { entryFor, fakeProvider, storeWith } from "./operation-fixtures.js";

const desired = (name: string, config: Record<string, unknown> = { version: "16" }) =>
  ({
    spec: { name, type: "infra.database", config, depends_on: ["vpc"] },
    provider: "cloud",
    protected: false,
    adoptExisting: false,
    moduleIndex: 0,
  }) satisfies DesiredResource;

describe("importResource", () => {
  it("imports by ID through provider.import, under the config's name and provider module", async () => {
    const cloud = await fakeProvider();
    const live = cloud.seed({ name: "prod-db-7", type: "infra.database", config: { v: 1 } });
    const store = await storeWith([]);

    const state = await importResource({
      desired: desired("db"),
      id: live.id,
      providers: ProviderSet.of({ cloud }),
      store,
    });

    expect(state).toMatchObject({
      id: "db",
      name: "db",
      type: "infra.database",
      provider: "cloud",
      provider_id: live.id,
      applied_config: { version: "16" },
      applied_config_source: "adoption",
      config_hash: configHash({ version: "16" }),
      dependencies: ["vpc"],
    });
    expect(state.outputs.endpoint).toBe("https://prod-db-7.fake.test");
    expect(await store.getResource("db")).toMatchObject({
      provider_id: live.id,
      applied_config_source: "adoption",
    });
  });

  it("without an ID, locates the resource through the driver's AdoptionRef then reads it", async () => {
    const cloud = await fakeProvider({ capabilities: ["adoption"] });
    const live = cloud.seed({ name: "db", type: "infra.database", config: {} });
    const store = await storeWith([]);

    const state = await importResource({
      desired: desired("db"),
      providers: ProviderSet.of({ cloud }),
      store,
    });

    expect(state.provider_id).toBe(live.id);
    expect(cloud.calls.map((c) => c.op)).toEqual(["read"]);
    expect((await store.getResource("db"))?.provider_id).toBe(live.id);
  });

  it("explains that an ID is needed when the driver cannot locate resources", async () => {
    const cloud = await fakeProvider();
    cloud.seed({ name: "db", type: "infra.database", config: {} });

    await expect(
      importResource({
        desired: desired("db"),
        providers: ProviderSet.of({ cloud }),
        store: await storeWith([]),
      }),
    ).rejects.toThrow(
      "provider cloud cannot import without --id: its driver for infra.database does not implement ResourceAdoptionLocator",
    );
  });

  it("fails when the locator finds nothing", async () => {
    const cloud = await fakeProvider({ capabilities: ["adoption"] });

    await expect(
      importResource({
        desired: desired("db"),
        providers: ProviderSet.of({ cloud }),
        store: await storeWith([]),
      }),
    ).rejects.toThrow(/found no existing infra\.database matching db/);
  });

  it("refuses a name state already has, naming it, and leaves the entry alone", async () => {
    const cloud = await fakeProvider();
    const live = cloud.seed({ name: "db", type: "infra.database", config: {} });
    const existing = entryFor(live);
    const store = await storeWith([existing]);

    await expect(
      importResource({
        desired: desired("db"),
        id: live.id,
        providers: ProviderSet.of({ cloud }),
        store,
      }),
    ).rejects.toThrow(/resource "db" is already in state/);
    expect((await store.getResource("db"))?.applied_config_source).toBe("apply");
  });

  it("refuses a resource state already tracks under another name", async () => {
    const cloud = await fakeProvider();
    const live = cloud.seed({ name: "db", type: "infra.database", config: {} });
    const store = await storeWith([entryFor(live, { provider: "cloud" })]);

    await expect(
      importResource({
        desired: desired("db-again"),
        id: live.id,
        providers: ProviderSet.of({ cloud }),
        store,
      }),
    ).rejects.toThrow(`infra.database ${live.id} is already in state as "db"`);
    expect(await store.getResource("db-again")).toBeUndefined();
  });

  it("fails hard on a ProviderID that does not match the driver's declared format, saving nothing", async () => {
    const cloud = await fakeProvider();
    cloud.seed({ id: "not-a-uuid", name: "db", type: "infra.database", config: {} });
    const store = await storeWith([]);

    await expect(
      importResource({
        desired: desired("db"),
        id: "not-a-uuid",
        providers: ProviderSet.of({ cloud }),
        store,
      }),
    ).rejects.toThrow(
      /malformed ProviderID "not-a-uuid" for db \(infra\.database\): expected a uuid ID/,
    );
    expect(await store.getResource("db")).toBeUndefined();
  });

  it("names the ID when the provider has no such resource", async () => {
    const cloud = await fakeProvider();

    await expect(
      importResource({
        desired: desired("db"),
        id: "0b9d2d2e-8f4a-4c55-9a53-0d7f6c1e2a11",
        providers: ProviderSet.of({ cloud }),
        store: await storeWith([]),
      }),
    ).rejects.toThrow(/has no infra\.database with ID "0b9d2d2e-/);
  });
});
