import { describe, expect, it } from "vitest";
import {
  ActionStatus,
  type ResourceOutput,
  type ResourceRef,
  type ResourceSpec,
} from "../../../src/contracts/index.js";
import { reconcileIntents } from "../../../src/iac/apply/index.js";
import { configHash } from "../../../src/iac/hashing.js";
import type { IacEvent } from "../../../src/iac/iac-events.js";
import { ProviderSet } from "../../../src/iac/provider-set.js";
import type { ResourceIntent } from "../../../src/iac/state/state-store.js";
import {
  create,
  DB,
  harness,
  outcomeOf,
  planOf,
  remove,
  replace,
  stateOf,
  update,
  withDriver,
} from "./apply-fixtures.js";

const MALFORMED =
  'driver "infra.vpc" returned malformed ProviderID "not-a-uuid" for resource "vpc" — state not persisted';

/** A driver whose create really creates, then reports the ID as `not-a-uuid`. */
function malformedCreate(inner: { create(spec: ResourceSpec): Promise<ResourceOutput> }) {
  return {
    create: async (spec: ResourceSpec) => ({
      ...(await inner.create(spec)),
      provider_id: "not-a-uuid",
    }),
  };
}

describe("apply: write-ahead intents", () => {
  it("records the intent durably before create runs, and clears it once state is saved", async () => {
    const h = await harness();
    const intentAtCreate: boolean[] = [];
    h.providers = ProviderSet.of({
      cloud: withDriver(h.cloud, (inner) => ({
        create: async (spec: ResourceSpec) => {
          intentAtCreate.push(h.store.intentNames().includes(spec.name));
          return inner.create(spec);
        },
      })),
    });
    await h.apply(planOf(create("api")));
    expect(intentAtCreate).toEqual([true]);
    expect(h.store.journal).toEqual(["saveIntent api", "saveResource api", "deleteIntent api"]);
    expect(await h.store.listIntents()).toEqual([]);
  });

  it("records a replace's intent with the provider ID being replaced", async () => {
    const h = await harness();
    const vpc = h.cloud.seed({ name: "vpc", type: "infra.vpc", config: {} });
    const seen: ResourceIntent[] = [];
    h.providers = ProviderSet.of({
      cloud: withDriver(h.cloud, (inner) => ({
        delete: async (ref: ResourceRef) => {
          seen.push(...(await h.store.listIntents()));
          return inner.delete(ref);
        },
      })),
    });
    await h.apply(planOf(replace(stateOf(vpc), { region: "x" })));
    expect(seen).toEqual([
      expect.objectContaining({ name: "vpc", action: "replace", previous_provider_id: vpc.id }),
    ]);
  });

  it("dispatches nothing when the intent cannot be written", async () => {
    const h = await harness();
    h.store.failOn("saveIntent", "api", "disk full");
    const result = await h.apply(planOf(create("api")));
    expect(outcomeOf(result, 0)).toMatchObject({
      status: ActionStatus.Skipped,
      error: expect.stringContaining("write-ahead intent: disk full"),
    });
    expect(h.cloud.calls).toEqual([]);
  });

  it("survives a crash between 'cloud created it' and 'state saved it': the next run adopts it", async () => {
    const h = await harness();
    // The connection drops after the cloud created the resource: apply cannot know.
    h.providers = ProviderSet.of({
      cloud: withDriver(h.cloud, (inner) => ({
        create: async (spec: ResourceSpec) => {
          await inner.create(spec);
          throw new Error("connection reset by peer");
        },
      })),
    });
    const result = await h.apply(planOf(create("api", { size: "s" })));
    expect(outcomeOf(result, 0).status).toBe(ActionStatus.Error);
    expect(await h.store.getResource("api")).toBeUndefined();
    expect(h.store.intentNames()).toEqual(["api"]);

    const events: IacEvent[] = [];
    const summary = await reconcileIntents(h.store, ProviderSet.of({ cloud: h.cloud }), (e) =>
      events.push(e),
    );
    expect(summary).toEqual({ adopted: ["api"], absent: [] });
    expect(events).toEqual([{ kind: "intent:reconciled", resource: "api", outcome: "adopted" }]);
    expect(await h.store.getResource("api")).toMatchObject({
      provider_id: h.cloud.records()[0]?.id,
      applied_config: { size: "s" },
      config_hash: configHash({ size: "s" }),
      applied_config_source: "apply",
      provider: "cloud",
    });
    expect(await h.store.listIntents()).toEqual([]);
    expect(h.cloud.records()).toHaveLength(1);
  });
});

describe("apply: provider ID checks", () => {
  it("a malformed output ID fails hard, and what was created is deleted (by ID, then by name)", async () => {
    const h = await harness();
    h.providers = ProviderSet.of({ cloud: withDriver(h.cloud, malformedCreate) });
    const result = await h.apply(planOf(create("vpc")));
    expect(outcomeOf(result, 0).status).toBe(ActionStatus.Error);
    expect(outcomeOf(result, 0).error).toContain(MALFORMED);
    expect(h.cloud.records()).toEqual([]);
    expect(await h.store.listResources()).toEqual([]);
    expect(await h.store.listIntents()).toEqual([]);
  });

  it("a malformed output ID from an update fails without touching state", async () => {
    const h = await harness();
    const record = h.cloud.seed({ name: "vpc", type: "infra.vpc", config: { a: 1 } });
    const current = stateOf(record);
    await h.store.saveResource(current);
    h.providers = ProviderSet.of({
      cloud: withDriver(h.cloud, (inner) => ({
        update: async (ref: ResourceRef, spec: ResourceSpec) => ({
          ...(await inner.update(ref, spec)),
          provider_id: "not-a-uuid",
        }),
      })),
    });
    const result = await h.apply(planOf(update(current, { a: 2 })));
    expect(outcomeOf(result, 0)).toEqual({
      action_index: 0,
      status: ActionStatus.Error,
      error: MALFORMED,
    });
    expect(await h.store.getResource("vpc")).toEqual(current);
  });

  it("when deleting the malformed resource fails too: compensation_failed, and the intent stays for adoption", async () => {
    const h = await harness();
    h.providers = ProviderSet.of({
      cloud: withDriver(h.cloud, (inner) => ({
        ...malformedCreate(inner),
        delete: async () => {
          throw new Error("api down");
        },
      })),
    });
    const result = await h.apply(planOf(create("vpc")));
    expect(outcomeOf(result, 0).status).toBe(ActionStatus.CompensationFailed);
    expect(outcomeOf(result, 0).error).toMatch(/state not persisted.*api down/);
    expect(h.store.intentNames()).toEqual(["vpc"]);
  });

  it("a malformed input ID only warns; the driver still runs", async () => {
    const h = await harness();
    const legacy = stateOf(h.cloud.seed({ id: "legacy-7", name: "db", type: DB, config: {} }));
    await h.store.saveResource(legacy);
    const result = await h.apply(planOf(remove(legacy)));
    expect(outcomeOf(result, 0).status).toBe(ActionStatus.Success);
    expect(h.cloud.records()).toEqual([]);
    expect(h.events).toContainEqual(
      expect.objectContaining({
        kind: "diagnostic",
        severity: "warning",
        message: expect.stringContaining('provider ID "legacy-7"'),
      }),
    );
  });
});

describe("apply: output checks and state failures", () => {
  it("refuses a create that returns no output, and cleans up by name", async () => {
    const h = await harness();
    h.providers = ProviderSet.of({
      cloud: withDriver(h.cloud, (inner) => ({
        create: async (spec: ResourceSpec) => {
          await inner.create(spec);
          return undefined;
        },
      })),
    });
    const result = await h.apply(planOf(create("vpc")));
    expect(outcomeOf(result, 0)).toMatchObject({
      status: ActionStatus.Error,
      error: expect.stringContaining('returned no output from create of resource "vpc"'),
    });
    expect(h.cloud.records()).toEqual([]);
  });

  it("refuses an output describing another resource, and fills a missing name and type", async () => {
    const h = await harness();
    h.providers = ProviderSet.of({
      cloud: withDriver(h.cloud, (inner) => ({
        create: async (spec: ResourceSpec) => {
          const out = await inner.create(spec);
          return spec.name === "a" ? { ...out, name: "", type: "" } : { ...out, name: "other" };
        },
      })),
    });
    const result = await h.apply(planOf(create("a"), create("b")));
    expect(outcomeOf(result, 0).status).toBe(ActionStatus.Success);
    expect(result.resources[0]).toMatchObject({ name: "a", type: "infra.vpc" });
    expect(outcomeOf(result, 1).error).toContain('returned output for infra.vpc "other"');
  });

  it("deletes a created resource whose state cannot be saved", async () => {
    const h = await harness();
    h.store.failOn("saveResource", "api", "state disk full");
    const result = await h.apply(planOf(create("api")));
    expect(outcomeOf(result, 0)).toMatchObject({
      status: ActionStatus.Error,
      error: expect.stringMatching(/could not save resource "api" after create: state disk full/),
    });
    expect(h.cloud.records()).toEqual([]);
  });

  it("compensation_failed when state cannot be saved and the created resource cannot be deleted", async () => {
    const h = await harness({ fail_on: { api: ["delete"] } });
    h.store.failOn("saveResource", "api");
    const result = await h.apply(planOf(create("api")));
    expect(outcomeOf(result, 0).status).toBe(ActionStatus.CompensationFailed);
    expect(h.cloud.records()).toHaveLength(1);
  });

  it("compensation_failed when an update succeeded but state cannot be saved", async () => {
    const h = await harness();
    const current = stateOf(h.cloud.seed({ name: "db", type: DB, config: {} }));
    h.store.failOn("saveResource", "db");
    const result = await h.apply(planOf(update(current, { size: "m" })));
    expect(outcomeOf(result, 0).status).toBe(ActionStatus.CompensationFailed);
  });

  it("compensation_failed when a deleted resource cannot be removed from state", async () => {
    const h = await harness();
    const current = stateOf(h.cloud.seed({ name: "db", type: DB, config: {} }));
    await h.store.saveResource(current);
    h.store.failOn("deleteResource", "db");
    const result = await h.apply(planOf(remove(current)));
    expect(outcomeOf(result, 0).status).toBe(ActionStatus.CompensationFailed);
  });
});

describe("reconcileIntents", () => {
  const intent = (
    name: string,
    action: "create" | "replace",
    previous?: string,
  ): ResourceIntent => ({
    name,
    type: "infra.vpc",
    provider: "cloud",
    action,
    spec: { name, type: "infra.vpc", config: { region: "nyc3" } },
    ...(previous ? { previous_provider_id: previous } : {}),
    recorded_at: new Date().toISOString(),
  });

  it("forgets an intent whose resource was never created", async () => {
    const h = await harness();
    await h.store.saveIntent(intent("ghost", "create"));
    const events: IacEvent[] = [];
    const summary = await reconcileIntents(h.store, h.providers, (e) => events.push(e));
    expect(summary).toEqual({ adopted: [], absent: ["ghost"] });
    expect(events).toEqual([{ kind: "intent:reconciled", resource: "ghost", outcome: "absent" }]);
    expect(await h.store.listResources()).toEqual([]);
    expect(await h.store.listIntents()).toEqual([]);
  });

  it("adopts through AdoptionRef when the driver has it", async () => {
    const h = await harness({ capabilities: ["adoption"] });
    const live = h.cloud.seed({ name: "vpc", type: "infra.vpc", config: {} });
    await h.store.saveIntent(intent("vpc", "create"));
    expect(await reconcileIntents(h.store, h.providers)).toEqual({ adopted: ["vpc"], absent: [] });
    expect((await h.store.getResource("vpc"))?.provider_id).toBe(live.id);
  });

  it("just clears the intent when state was saved before the crash", async () => {
    const h = await harness();
    const live = h.cloud.seed({ name: "vpc", type: "infra.vpc", config: {} });
    await h.store.saveResource(stateOf(live));
    await h.store.saveIntent(intent("vpc", "create"));
    expect(await reconcileIntents(h.store, h.providers)).toEqual({ adopted: [], absent: [] });
    expect(await h.store.listIntents()).toEqual([]);
  });

  it("settles an interrupted replace by what the cloud holds", async () => {
    // Not started: the old resource is still there, and state still describes it.
    const notStarted = await harness();
    const old = notStarted.cloud.seed({ name: "vpc", type: "infra.vpc", config: {} });
    await notStarted.store.saveResource(stateOf(old));
    await notStarted.store.saveIntent(intent("vpc", "replace", old.id));
    expect(await reconcileIntents(notStarted.store, notStarted.providers)).toEqual({
      adopted: [],
      absent: ["vpc"],
    });
    expect((await notStarted.store.getResource("vpc"))?.provider_id).toBe(old.id);

    // Old deleted, new created, state not saved: adopt the new one.
    const halfway = await harness();
    const fresh = halfway.cloud.seed({ name: "vpc", type: "infra.vpc", config: {} });
    await halfway.store.saveResource(stateOf({ ...fresh, id: "old-id" }));
    await halfway.store.saveIntent(intent("vpc", "replace", "old-id"));
    expect((await reconcileIntents(halfway.store, halfway.providers)).adopted).toEqual(["vpc"]);
    expect(await halfway.store.getResource("vpc")).toMatchObject({
      provider_id: fresh.id,
      applied_config: { region: "nyc3" },
    });

    // Old deleted, nothing created: state must stop describing the old one.
    const gone = await harness();
    await gone.store.saveResource(
      stateOf({ id: "old-id", name: "vpc", type: "infra.vpc", config: {}, tags: [] }),
    );
    await gone.store.saveIntent(intent("vpc", "replace", "old-id"));
    expect((await reconcileIntents(gone.store, gone.providers)).absent).toEqual(["vpc"]);
    expect(await gone.store.getResource("vpc")).toBeUndefined();
  });

  it("keeps the intents it cannot settle and fails, naming them", async () => {
    const h = await harness({ fail_on: { vpc: ["read"] } });
    await h.store.saveIntent(intent("vpc", "create"));
    await h.store.saveIntent(intent("ghost", "create"));
    await expect(reconcileIntents(h.store, h.providers)).rejects.toMatchObject({
      code: "WF_ERR_IAC",
      message: expect.stringContaining(
        'create of "vpc" (infra.vpc): fakecloud: injected read failure',
      ),
    });
    expect(h.store.intentNames()).toEqual(["vpc"]);
  });
});
