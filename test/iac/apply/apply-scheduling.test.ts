import { describe, expect, it } from "vitest";
import { ActionStatus } from "../../../src/contracts/index.js";
import {
  APP,
  create,
  DB,
  harness,
  maxConcurrency,
  outcomeOf,
  planOf,
  remove,
  stateOf,
  update,
} from "./apply-fixtures.js";

describe("apply: the DAG walk", () => {
  it("creates dependencies first (depends_on and ${…} references) and records one outcome per action", async () => {
    const h = await harness({ latency_ms: 20 });
    const plan = planOf(
      create("app", { db_url: "${db.endpoint}" }, undefined, APP),
      create("db", {}, ["vpc"], DB),
      create("vpc"),
    );
    const result = await h.apply(plan);
    expect(result.actions).toEqual([
      { action_index: 0, status: ActionStatus.Success },
      { action_index: 1, status: ActionStatus.Success },
      { action_index: 2, status: ActionStatus.Success },
    ]);
    expect(result.errors).toEqual([]);
    const creates = h.cloud.calls.filter((c) => c.op === "create");
    const call = (name: string) => creates.find((c) => c.name === name)!;
    expect(call("db").startedAt).toBeGreaterThanOrEqual(call("vpc").endedAt);
    expect(call("app").startedAt).toBeGreaterThanOrEqual(call("db").endedAt);
    // The reference was resolved from db's fresh outputs before app was created.
    const app = h.cloud.records().find((r) => r.name === "app")!;
    expect(app.config.db_url).toBe("https://db.fake.test");
    expect((await h.store.listResources()).map((r) => r.name)).toEqual(["app", "db", "vpc"]);
  });

  it("runs independent actions in parallel, never more than --parallelism at once", async () => {
    const h = await harness({ latency_ms: 30 });
    const plan = planOf(...Array.from({ length: 12 }, (_, i) => create(`r${i}`)));
    await h.apply(plan, { parallelism: 4 });
    expect(maxConcurrency(h.cloud.calls)).toBe(4);
  });

  it("defaults to 10 in flight", async () => {
    const h = await harness({ latency_ms: 30 });
    await h.apply(planOf(...Array.from({ length: 25 }, (_, i) => create(`r${i}`))));
    expect(maxConcurrency(h.cloud.calls)).toBe(10);
  });

  it("skips only the dependents of a failed action, naming it; independent branches go on", async () => {
    const h = await harness({ fail_on: { db: ["create"] } });
    const plan = planOf(
      create("db", {}, undefined, DB),
      create("app", {}, ["db"], APP),
      create("worker", { api: "${app.endpoint}" }, undefined, APP),
      create("cache"),
      create("web", { cache: "${cache.endpoint}" }, undefined, APP),
    );
    const result = await h.apply(plan);
    expect(result.actions?.map((a) => a.status)).toEqual([
      ActionStatus.Error,
      ActionStatus.Skipped,
      ActionStatus.Skipped,
      ActionStatus.Success,
      ActionStatus.Success,
    ]);
    expect(outcomeOf(result, 0).error).toBe('fakecloud: injected create failure for "db"');
    expect(outcomeOf(result, 1).error).toBe('skipped: dependency "db" failed');
    expect(outcomeOf(result, 2).error).toBe('skipped: dependency "db" failed');
    expect(h.cloud.calls.map((c) => c.name)).not.toContain("app");
    expect(result.errors?.map((e) => [e.resource, e.action])).toEqual([
      ["db", "create"],
      ["app", "create"],
      ["worker", "create"],
    ]);
  });

  it("a dependency that was skipped (unresolvable reference) skips its dependents too", async () => {
    const h = await harness();
    const result = await h.apply(
      planOf(create("a", { x: "${nowhere.id}" }), create("b", {}, ["a"])),
    );
    expect(outcomeOf(result, 0)).toEqual({
      action_index: 0,
      status: ActionStatus.Skipped,
      error: "jit substitution: unresolved ${nowhere.id}",
    });
    expect(outcomeOf(result, 1).error).toBe('skipped: dependency "a" was skipped');
    expect(h.cloud.calls).toEqual([]);
  });

  it("on Ctrl-C starts nothing new; actions in flight finish and are saved; the rest are skipped", async () => {
    const h = await harness({ latency_ms: 40 });
    const controller = new AbortController();
    let starts = 0;
    const plan = planOf(
      create("a"),
      create("b"),
      create("a2", {}, ["a"]),
      create("b2", {}, ["b"]),
      create("c"),
    );
    const result = await h.apply(plan, {
      parallelism: 2,
      signal: controller.signal,
      onEvent: (e) => {
        if (e.kind === "action:start" && ++starts === 2) controller.abort();
      },
    });
    expect(result.actions?.map((a) => a.status)).toEqual([
      ActionStatus.Success,
      ActionStatus.Success,
      ActionStatus.Skipped,
      ActionStatus.Skipped,
      ActionStatus.Skipped,
    ]);
    expect(outcomeOf(result, 4).error).toBe("skipped: apply interrupted");
    expect((await h.store.listResources()).map((r) => r.name)).toEqual(["a", "b"]);
    expect(
      h.cloud
        .records()
        .map((r) => r.name)
        .sort(),
    ).toEqual(["a", "b"]);
  });

  it("deletes dependents before what they depend on", async () => {
    const h = await harness({ latency_ms: 10 });
    const seeded = [
      h.cloud.seed({ name: "vpc", type: "infra.vpc", config: {} }),
      h.cloud.seed({ name: "db", type: DB, config: {} }),
      h.cloud.seed({ name: "app", type: APP, config: {} }),
    ];
    const [vpcState, dbState, appState] = [
      stateOf(seeded[0]!),
      stateOf(seeded[1]!, { dependencies: ["vpc"] }),
      stateOf(seeded[2]!, { dependencies: ["db"] }),
    ];
    for (const s of [vpcState, dbState, appState]) await h.store.saveResource(s);
    // Plan order deliberately wrong: the executor orders by dependencies.
    const result = await h.apply(planOf(remove(vpcState), remove(dbState), remove(appState)));
    expect(result.actions?.every((a) => a.status === ActionStatus.Success)).toBe(true);
    expect(h.cloud.calls.map((c) => `${c.op} ${c.name}`)).toEqual([
      "delete app",
      "delete db",
      "delete vpc",
    ]);
    expect(await h.store.listResources()).toEqual([]);
  });

  it("deletes a resource only after the update that stops using it", async () => {
    const h = await harness({ latency_ms: 10 });
    const oldDb = stateOf(h.cloud.seed({ name: "old-db", type: DB, config: {} }));
    const app = stateOf(h.cloud.seed({ name: "app", type: APP, config: { db: "old" } }), {
      dependencies: ["old-db"],
    });
    const result = await h.apply(planOf(remove(oldDb), update(app, { db: "new" })));
    expect(result.actions?.every((a) => a.status === ActionStatus.Success)).toBe(true);
    expect(h.cloud.calls.map((c) => `${c.op} ${c.name}`)).toEqual(["update app", "delete old-db"]);
  });

  it("a failed delete skips the deletes of what it depends on", async () => {
    const h = await harness({ fail_on: { app: ["delete"] } });
    const db = stateOf(h.cloud.seed({ name: "db", type: DB, config: {} }));
    const app = stateOf(h.cloud.seed({ name: "app", type: APP, config: {} }), {
      dependencies: ["db"],
    });
    const result = await h.apply(planOf(remove(app), remove(db)));
    expect(result.actions?.map((a) => a.status)).toEqual([
      ActionStatus.DeleteFailed,
      ActionStatus.Skipped,
    ]);
    expect(outcomeOf(result, 1).error).toBe('skipped: dependency "app" failed');
  });

  it("refuses a plan whose dependencies form a cycle, before doing anything", async () => {
    const h = await harness();
    const apply = h.apply(planOf(create("a", {}, ["b"]), create("b", { x: "${a.id}" })));
    await expect(apply).rejects.toMatchObject({
      code: "WF_ERR_IAC",
      message: expect.stringMatching(/dependency cycle detected involving resource "[ab]"/),
    });
    expect(h.cloud.calls).toEqual([]);
  });

  it("reports action:start and action:done with elapsed time; a skipped action only gets done", async () => {
    const h = await harness({ latency_ms: 20, fail_on: { a: ["create"] } });
    await h.apply(planOf(create("a"), create("b", {}, ["a"])));
    const kinds = h.events
      .filter((e) => e.kind === "action:start" || e.kind === "action:done")
      .map((e) => `${e.kind} ${e.resource}`);
    expect(kinds).toEqual(["action:start a", "action:done a", "action:done b"]);
    const doneA = h.events.find((e) => e.kind === "action:done" && e.resource === "a");
    expect(doneA).toMatchObject({ status: ActionStatus.Error, index: 0, action: "create" });
    expect(doneA?.kind === "action:done" && doneA.elapsedMs).toBeGreaterThanOrEqual(15);
  });
});
