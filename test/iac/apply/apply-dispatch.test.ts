import { describe, expect, it } from "vitest";
import {
  ActionStatus,
  type ResourceOutput,
  type ResourceRef,
  type ResourceSpec,
} from "../../../src/contracts/index.js";
import { sensitiveOutputKeys } from "../../../src/iac/apply/index.js";
import { configHash } from "../../../src/iac/hashing.js";
import { ProviderSet } from "../../../src/iac/provider-set.js";
import {
  APP,
  create,
  harness,
  outcomeOf,
  planOf,
  remove,
  replace,
  stateOf,
  update,
  withDriver,
} from "./apply-fixtures.js";

describe("apply: create and update", () => {
  it("saves what was applied: the planned config, its hash, source apply, outputs, dependencies", async () => {
    const h = await harness();
    await h.apply(planOf(create("vpc"), create("app", { vpc: "${vpc.id}" }, ["vpc"], APP)));
    const app = await h.store.getResource("app");
    const vpc = h.cloud.records().find((r) => r.name === "vpc")!;
    expect(app).toMatchObject({
      id: "app",
      name: "app",
      type: APP,
      provider: "cloud",
      applied_config: { vpc: "${vpc.id}" },
      config_hash: configHash({ vpc: "${vpc.id}" }),
      applied_config_source: "apply",
      dependencies: ["vpc"],
      outputs: { endpoint: "https://app.fake.test" },
    });
    // The driver got the resolved value.
    expect(h.cloud.records().find((r) => r.name === "app")?.config.vpc).toBe(vpc.id);
  });

  it("updates through the provider ID in state and keeps created_at", async () => {
    const h = await harness();
    const record = h.cloud.seed({ name: "db", type: "infra.database", config: { size: "s" } });
    const current = stateOf(record, { created_at: "2020-01-01T00:00:00.000Z" });
    await h.store.saveResource(current);
    const result = await h.apply(planOf(update(current, { size: "m" })));
    expect(outcomeOf(result, 0).status).toBe(ActionStatus.Success);
    expect(h.cloud.records()[0]?.config).toEqual({ size: "m" });
    expect(await h.store.getResource("db")).toMatchObject({
      provider_id: record.id,
      created_at: "2020-01-01T00:00:00.000Z",
      applied_config: { size: "m" },
    });
  });

  it("resolves ${VAR} just in time: the driver gets the secret, state and intents never do", async () => {
    const h = await harness();
    const intentsSeen: unknown[] = [];
    h.providers = ProviderSet.of({
      cloud: withDriver(h.cloud, (inner) => ({
        create: async (spec: ResourceSpec) => {
          intentsSeen.push(...(await h.store.listIntents()));
          return inner.create(spec);
        },
      })),
    });
    const config = { env_vars: { DB_PASSWORD: "${DB_PASSWORD}" } };
    const result = await h.apply(planOf(create("api", config, undefined, APP)), {
      environ: { DB_PASSWORD: "s3cret" },
    });
    expect(outcomeOf(result, 0).status).toBe(ActionStatus.Success);
    expect(h.cloud.records()[0]?.config).toEqual({ env_vars: { DB_PASSWORD: "s3cret" } });
    const saved = await h.store.getResource("api");
    expect(saved?.applied_config).toEqual(config);
    expect(saved?.config_hash).toBe(configHash(config));
    expect(JSON.stringify(saved)).not.toContain("s3cret");
    expect(intentsSeen).toHaveLength(1);
    expect(JSON.stringify(intentsSeen)).not.toContain("s3cret");
  });

  it("skips an action whose ${VAR} is unset, without calling the driver", async () => {
    const h = await harness();
    const result = await h.apply(
      planOf(create("api", { env_vars: { DB_PASSWORD: "${DB_PASSWORD}" } }, undefined, APP)),
    );
    expect(outcomeOf(result, 0)).toMatchObject({
      status: ActionStatus.Skipped,
      error: "jit substitution: unresolved ${DB_PASSWORD}",
    });
    expect(h.cloud.calls).toEqual([]);
  });

  it("skips an action whose driver cannot be found, naming why", async () => {
    const h = await harness();
    const result = await h.apply(planOf(create("x", {}, undefined, "other.thing"), create("y")), {
      providerOf: { x: "cloud", y: "nope" },
    });
    expect(outcomeOf(result, 0)).toMatchObject({
      status: ActionStatus.Skipped,
      error: expect.stringMatching(/^resolve driver: .*other\.thing/),
    });
    expect(outcomeOf(result, 1)).toMatchObject({
      status: ActionStatus.Skipped,
      error: 'resolve driver: no iac.provider module named "nope"',
    });
  });

  it("marks sensitive outputs (the output's map and the driver's SensitiveKeys) in the result", async () => {
    const h = await harness();
    const result = await h.apply(planOf(create("db", {}, undefined, "infra.database")));
    expect(result.resources).toHaveLength(1);
    expect(result.resources[0]?.sensitive).toEqual({ password: true });
    expect(
      sensitiveOutputKeys(
        { outputs: { a: 1, token: "t", password: "p", uri: "u" }, sensitive: { uri: true } },
        ["token", "absent"],
      ),
    ).toEqual(["token", "uri"]);
  });
});

describe("apply: upsert recovery", () => {
  it("on already-exists, reads by name and updates once when the driver supports upsert", async () => {
    const h = await harness({ capabilities: ["upsert"] });
    const existing = h.cloud.seed({ name: "api", type: APP, config: { v: 1 } });
    const result = await h.apply(planOf(create("api", { v: 2 }, undefined, APP)));
    expect(result.errors).toEqual([]);
    expect(result.resources.map((r) => r.name)).toEqual(["api"]);
    expect(h.cloud.calls.map((c) => c.op)).toEqual(["read", "update"]);
    expect(h.cloud.records()).toEqual([
      expect.objectContaining({ id: existing.id, config: { v: 2 } }),
    ]);
    expect((await h.store.getResource("api"))?.provider_id).toBe(existing.id);
  });

  it("without upsert the already-exists error stands", async () => {
    const h = await harness();
    h.cloud.seed({ name: "api", type: APP, config: {} });
    const result = await h.apply(planOf(create("api", {}, undefined, APP)));
    expect(outcomeOf(result, 0)).toMatchObject({
      status: ActionStatus.Error,
      error: expect.stringContaining("iac: resource already exists"),
    });
    expect(h.store.intentNames()).toEqual([]);
  });

  it("names the upsert step that failed", async () => {
    for (const [read, message] of [
      [
        async () => {
          throw new Error("lookup refused");
        },
        "upsert: read after conflict: lookup refused",
      ],
      [
        async (ref: ResourceRef): Promise<ResourceOutput> => ({
          name: ref.name,
          type: ref.type,
          provider_id: "",
          outputs: {},
          status: "running",
        }),
        'upsert: resource "api" found by name but ProviderID is empty',
      ],
    ] as const) {
      const h = await harness({ capabilities: ["upsert"] });
      h.cloud.seed({ name: "api", type: APP, config: {} });
      h.providers = ProviderSet.of({ cloud: withDriver(h.cloud, () => ({ read })) });
      const result = await h.apply(planOf(create("api", {}, undefined, APP)));
      expect(outcomeOf(result, 0)).toEqual({
        action_index: 0,
        status: ActionStatus.Error,
        error: message,
      });
    }
  });
});

describe("apply: replace", () => {
  async function replaced(config: Record<string, unknown> = {}) {
    const h = await harness(config);
    const vpc = h.cloud.seed({ name: "vpc", type: "infra.vpc", config: { region: "nyc1" } });
    const app = h.cloud.seed({ name: "app", type: APP, config: { vpc_ref: vpc.id } });
    const vpcState = stateOf(vpc);
    const appState = stateOf(app, { applied_config: { vpc_ref: "${vpc.id}" } });
    await h.store.saveResource(vpcState);
    await h.store.saveResource(appState);
    const plan = planOf(
      replace(vpcState, { region: "nyc3" }),
      update(appState, { vpc_ref: "${vpc.id}" }),
    );
    return { h, plan, oldId: vpc.id };
  }

  it("deletes then creates, records the new ID, and dependents resolve ${x.id} to it", async () => {
    const { h, plan, oldId } = await replaced();
    const result = await h.apply(plan);
    expect(result.errors).toEqual([]);
    expect(h.cloud.calls.map((c) => `${c.op} ${c.name}`)).toEqual([
      "delete vpc",
      "create vpc",
      "update app",
    ]);
    const newId = h.cloud.records().find((r) => r.name === "vpc")!.id;
    expect(newId).not.toBe(oldId);
    expect(result.replace_id_map).toEqual({ vpc: newId });
    expect(h.cloud.records().find((r) => r.name === "app")?.config.vpc_ref).toBe(newId);
    expect((await h.store.getResource("vpc"))?.provider_id).toBe(newId);
  });

  it("a failed delete keeps the old resource and its state", async () => {
    const { h, plan, oldId } = await replaced({ fail_on: { vpc: ["delete"] } });
    const result = await h.apply(plan);
    expect(outcomeOf(result, 0).error).toBe(
      'replace: delete: fakecloud: injected delete failure for "vpc"',
    );
    expect(outcomeOf(result, 1).error).toBe('skipped: dependency "vpc" failed');
    expect((await h.store.getResource("vpc"))?.provider_id).toBe(oldId);
  });

  it("a failed create after the delete drops the stale state, so the next plan creates it", async () => {
    const { h, plan } = await replaced({ fail_on: { vpc: ["create"] } });
    const result = await h.apply(plan);
    expect(outcomeOf(result, 0)).toMatchObject({
      status: ActionStatus.Error,
      error: 'replace: create: fakecloud: injected create failure for "vpc"',
    });
    expect(await h.store.getResource("vpc")).toBeUndefined();
    expect(result.replace_id_map).toBeUndefined();
  });

  it("a forced stop between delete and create ends the replace there", async () => {
    const { h, plan } = await replaced();
    const force = new AbortController();
    h.providers = ProviderSet.of({
      cloud: withDriver(h.cloud, (inner) => ({
        delete: async (ref: ResourceRef) => {
          await inner.delete(ref);
          force.abort(new Error("second interrupt"));
        },
      })),
    });
    const result = await h.apply(plan, { forceSignal: force.signal });
    expect(outcomeOf(result, 0).error).toBe("replace: canceled after delete: second interrupt");
    expect(h.cloud.calls.map((c) => c.op)).toEqual(["delete"]);
    expect(await h.store.getResource("vpc")).toBeUndefined();
    expect(outcomeOf(result, 1).error).toBe("skipped: apply interrupted");
  });

  it("hands the whole transition to a ResourceReplacer", async () => {
    const { h, plan } = await replaced({ capabilities: ["replacer"] });
    const result = await h.apply(plan);
    expect(result.errors).toEqual([]);
    expect(h.cloud.calls.map((c) => `${c.op} ${c.name}`)).toEqual(["replace vpc", "update app"]);
    const newId = h.cloud.records().find((r) => r.name === "vpc")!.id;
    expect(result.replace_id_map).toEqual({ vpc: newId });
  });

  it("attributes a Replacer's unprefixed error to the driver, keeps a prefixed one", async () => {
    const { h, plan } = await replaced({
      capabilities: ["replacer"],
      fail_on: { vpc: ["replace"] },
    });
    const result = await h.apply(plan);
    expect(outcomeOf(result, 0).error).toBe(
      'replace: driver: fakecloud: injected replace failure for "vpc"',
    );

    const second = await replaced({ capabilities: ["replacer"] });
    second.h.providers = ProviderSet.of({
      cloud: withDriver(second.h.cloud, () => ({
        replace: async () => {
          throw new Error('infra.vpc replace "vpc": detach volume "v1": busy');
        },
      })),
    });
    const again = await second.h.apply(second.plan);
    expect(outcomeOf(again, 0).error).toBe('infra.vpc replace "vpc": detach volume "v1": busy');
  });
});

describe("apply: delete", () => {
  it("removes the resource and its state", async () => {
    const h = await harness();
    const db = stateOf(h.cloud.seed({ name: "db", type: "infra.database", config: {} }));
    await h.store.saveResource(db);
    const result = await h.apply(planOf(remove(db)));
    expect(outcomeOf(result, 0).status).toBe(ActionStatus.Success);
    expect(result.resources).toEqual([]);
    expect(h.cloud.records()).toEqual([]);
    expect(await h.store.getResource("db")).toBeUndefined();
  });

  it("treats a resource already gone as deleted, with a warning", async () => {
    const h = await harness();
    const db = stateOf(h.cloud.seed({ name: "db", type: "infra.database", config: {} }));
    await h.store.saveResource(db);
    h.cloud.vanish("db");
    const result = await h.apply(planOf(remove(db)));
    expect(outcomeOf(result, 0).status).toBe(ActionStatus.Success);
    expect(await h.store.getResource("db")).toBeUndefined();
    expect(h.events).toContainEqual(
      expect.objectContaining({ kind: "diagnostic", severity: "warning", resource: "db" }),
    );
  });

  it("uses the module state names for a resource no longer in the config", async () => {
    const h = await harness();
    const db = stateOf(h.cloud.seed({ name: "db", type: "infra.database", config: {} }));
    const result = await h.apply(planOf(remove(db)), { providerOf: {} });
    expect(outcomeOf(result, 0).status).toBe(ActionStatus.Success);
  });
});
