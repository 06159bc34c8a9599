import { describe, expect, it } from "vitest";
import { WfError } from "../../../src/diagnostics/index.js";
import { computePlan } from "../../../src/iac/plan/index.js";
import { applied, desired, fakeCloud, planInput, summary } from "./plan-fixtures.js";

describe("computePlan: classification", () => {
  it("plans create, update, replace and delete, and nothing for an unchanged resource", async () => {
    const cloud = await fakeCloud();
    const state = [
      applied(cloud, "same", { tier: 1 }),
      applied(cloud, "grown", { tier: 1 }),
      applied(cloud, "moved", { region: "eu" }),
      applied(cloud, "gone", { tier: 1 }, { dependencies: ["same"] }),
    ];
    const { plan, providerOf } = await computePlan(
      planInput(
        { cloud },
        {
          state,
          desired: [
            desired("same", { tier: 1 }),
            desired("grown", { tier: 2 }),
            desired("moved", { region: "us" }),
            desired("fresh", { tier: 1 }),
          ],
        },
      ),
    );
    expect(summary(plan)).toEqual(["update grown", "replace moved", "create fresh", "delete gone"]);
    const [grown, moved, fresh, gone] = plan.actions;
    expect(grown?.changes).toEqual([{ path: "tier", old: 1, new: 2, force_new: false }]);
    expect(grown?.current?.provider_id).toBe(state[1]?.provider_id);
    expect(moved?.changes).toEqual([{ path: "region", old: "eu", new: "us", force_new: true }]);
    expect(fresh?.changes).toBeUndefined();
    expect(fresh?.current).toBeUndefined();
    expect(gone?.resource).toEqual({
      name: "gone",
      type: "infra.app",
      config: { tier: 1 },
      depends_on: ["same"],
    });
    expect(gone?.current).toBe(state[3]);
    expect(providerOf).toEqual({ grown: "cloud", moved: "cloud", fresh: "cloud", gone: "cloud" });
    // Existing resources are diffed, new ones are not.
    expect(
      cloud.calls
        .filter((c) => c.op === "diff")
        .map((c) => c.name)
        .sort(),
    ).toEqual(["grown", "moved", "same"]);
  });

  it("replaces a resource whose type changed, without asking the driver", async () => {
    const cloud = await fakeCloud();
    const state = [applied(cloud, "store", { tier: 1 }, { type: "infra.database" })];
    const { plan } = await computePlan(
      planInput(
        { cloud },
        { state, desired: [desired("store", { tier: 1 }, { type: "infra.compute" })] },
      ),
    );
    expect(plan.actions[0]).toMatchObject({
      action: "replace",
      changes: [{ path: "type", old: "infra.database", new: "infra.compute", force_new: true }],
    });
    expect(cloud.calls).toEqual([]);
  });

  it("aborts the whole plan when a Diff fails, naming the resource and provider", async () => {
    const cloud = await fakeCloud({ fail_on: { api: ["diff"] } });
    const state = [applied(cloud, "api", { tier: 1 }), applied(cloud, "db", { tier: 1 })];
    const planning = computePlan(
      planInput(
        { east: cloud },
        {
          state: state.map((s) => ({ ...s, provider: "east" })),
          desired: [
            desired("db", { tier: 1 }, { provider: "east" }),
            desired("api", { tier: 2 }, { provider: "east" }),
          ],
        },
      ),
    );
    await expect(planning).rejects.toSatisfy(
      (err) =>
        WfError.is(err) &&
        err.code === "WF_ERR_PROVIDER" &&
        err.message.includes('resource "api"') &&
        err.message.includes('provider "east"') &&
        err.message.includes("injected diff failure"),
    );
  });

  it("warns, without failing, about a provider ID in state that the driver would not produce", async () => {
    const cloud = await fakeCloud(); // drivers declare UUID IDs
    const state = [applied(cloud, "db", { tier: 1 }, { providerId: "db-0001" })];
    const input = planInput({ cloud }, { state, desired: [desired("db", { tier: 1 })] });
    const { plan } = await computePlan(input);
    expect(plan.actions).toEqual([]);
    expect(input.events).toEqual([
      expect.objectContaining({ kind: "diagnostic", severity: "warning", resource: "db" }),
    ]);
    expect(JSON.stringify(input.events[0])).toContain("db-0001");
  });

  it("warns about state whose provider module is no longer declared, and still plans its delete", async () => {
    const cloud = await fakeCloud();
    const state = [{ ...applied(cloud, "old", {}), provider: "retired" }];
    const input = planInput({ cloud }, { state, desired: [] });
    const { plan, providerOf } = await computePlan(input);
    expect(summary(plan)).toEqual(["delete old"]);
    expect(providerOf).toEqual({ old: "retired" });
    expect(input.events[0]).toMatchObject({
      kind: "diagnostic",
      severity: "warning",
      resource: "old",
    });
  });

  it("stops at once when the caller aborts", async () => {
    const cloud = await fakeCloud({ latency_ms: 50 });
    const state = [applied(cloud, "a", { tier: 1 })];
    const controller = new AbortController();
    const planning = computePlan(
      planInput(
        { cloud },
        { state, desired: [desired("a", { tier: 2 })], signal: controller.signal },
      ),
    );
    controller.abort(new Error("interrupted"));
    await expect(planning).rejects.toThrow("interrupted");
  });
});

describe("computePlan: adoption", () => {
  it("adopts a live resource found by the driver's locator: an update of its ID, not a create", async () => {
    const cloud = await fakeCloud({ capabilities: ["adoption"] });
    const live = cloud.seed({ name: "db", type: "infra.database", config: { tier: 1 } });
    const { plan } = await computePlan(
      planInput({ cloud }, { desired: [desired("db", { tier: 2 }, { type: "infra.database" })] }),
    );
    expect(plan.actions).toHaveLength(1);
    const [action] = plan.actions;
    expect(action?.action).toBe("update");
    expect(action?.changes).toEqual([{ path: "tier", old: 1, new: 2, force_new: false }]);
    expect(action?.current).toMatchObject({
      name: "db",
      provider: "cloud",
      provider_id: live.id,
      applied_config_source: "adoption",
    });
    // Read's sensitive outputs never reach the plan.
    expect(action?.current?.outputs).not.toHaveProperty("password");
    expect(action?.current?.outputs).toHaveProperty("endpoint", "https://db.fake.test");
    expect(cloud.calls.map((c) => c.op)).toEqual(["read", "diff"]);
  });

  it("still plans an update for an unchanged adopted resource, so apply records it in state", async () => {
    const cloud = await fakeCloud({ capabilities: ["adoption"] });
    cloud.seed({ name: "db", type: "infra.database", config: { tier: 1 } });
    const { plan } = await computePlan(
      planInput({ cloud }, { desired: [desired("db", { tier: 1 }, { type: "infra.database" })] }),
    );
    expect(plan.actions).toEqual([expect.objectContaining({ action: "update", changes: [] })]);
  });

  it("plans a replace when the live resource differs in a force-new field", async () => {
    const cloud = await fakeCloud({ capabilities: ["adoption"] });
    cloud.seed({ name: "db", type: "infra.database", config: { region: "eu" } });
    const { plan } = await computePlan(
      planInput(
        { cloud },
        { desired: [desired("db", { region: "us" }, { type: "infra.database" })] },
      ),
    );
    expect(plan.actions[0]?.action).toBe("replace");
    expect(plan.actions[0]?.current?.applied_config_source).toBe("adoption");
  });

  it("creates when the locator finds nothing", async () => {
    const cloud = await fakeCloud({ capabilities: ["adoption"] });
    const { plan } = await computePlan(
      planInput({ cloud }, { desired: [desired("db", { tier: 1 })] }),
    );
    expect(summary(plan)).toEqual(["create db"]);
  });

  it("adopts by name for adopt_existing when the driver supports upsert, and warns when it cannot", async () => {
    const upsert = await fakeCloud({ capabilities: ["upsert"] });
    upsert.seed({ name: "db", type: "infra.app", config: { tier: 1 } });
    const adopted = await computePlan(
      planInput(
        { cloud: upsert },
        { desired: [desired("db", { tier: 1 }, { adoptExisting: true })] },
      ),
    );
    expect(summary(adopted.plan)).toEqual(["update db"]);

    const plain = await fakeCloud();
    plain.seed({ name: "db", type: "infra.app", config: { tier: 1 } });
    const input = planInput(
      { cloud: plain },
      { desired: [desired("db", { tier: 1 }, { adoptExisting: true })] },
    );
    expect(summary((await computePlan(input)).plan)).toEqual(["create db"]);
    expect(input.events[0]).toMatchObject({
      kind: "diagnostic",
      severity: "warning",
      resource: "db",
    });
    expect(JSON.stringify(input.events[0])).toContain("adopt_existing");
  });
});

describe("computePlan: --include", () => {
  it("plans only the named resources, in config and state alike", async () => {
    const cloud = await fakeCloud();
    const state = [applied(cloud, "a", { tier: 1 }), applied(cloud, "old", {})];
    const { plan } = await computePlan(
      planInput(
        { cloud },
        {
          state,
          include: ["b", "a"],
          desired: [desired("a", { tier: 2 }), desired("b"), desired("c")],
        },
      ),
    );
    expect(summary(plan)).toEqual(["update a", "create b"]);
    expect(plan.include).toEqual(["a", "b"]);
  });

  it("rejects names declared neither in config nor in state, listing them", async () => {
    const cloud = await fakeCloud();
    const planning = computePlan(
      planInput({ cloud }, { include: ["a", "typo", "ghost"], desired: [desired("a")] }),
    );
    await expect(planning).rejects.toThrow(
      "--include: 2 resource(s) not declared in config or state: typo, ghost",
    );
  });
});

describe("computePlan: diff concurrency", () => {
  /** Most driver calls in flight at once, from the double's call log. */
  const maxInFlight = (calls: readonly { startedAt: number; endedAt: number }[]) => {
    const edges = calls.flatMap((c) => [
      { at: c.startedAt, delta: 1 },
      { at: c.endedAt, delta: -1 },
    ]);
    edges.sort((a, b) => a.at - b.at || a.delta - b.delta);
    let now = 0;
    let max = 0;
    for (const e of edges) {
      now += e.delta;
      max = Math.max(max, now);
    }
    return max;
  };

  const planWith = async (diffConcurrency: number | undefined) => {
    const cloud = await fakeCloud({ latency_ms: 10 });
    const names = Array.from({ length: 40 }, (_, i) => `r${i}`);
    const state = names.map((n) => applied(cloud, n, { tier: 1 }));
    await computePlan(
      planInput(
        { cloud },
        {
          state,
          desired: names.map((n) => desired(n, { tier: 1 })),
          ...(diffConcurrency === undefined ? {} : { diffConcurrency }),
        },
      ),
    );
    expect(cloud.calls).toHaveLength(40);
    return maxInFlight(cloud.calls);
  };

  it("keeps at most diffConcurrency Diff calls in flight (default 8, clamped to 1..32)", async () => {
    expect(await planWith(3)).toBe(3);
    expect(await planWith(undefined)).toBe(8);
    expect(await planWith(0)).toBe(1);
    expect(await planWith(1000)).toBe(32);
  });
});
