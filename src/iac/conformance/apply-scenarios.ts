import type { IaCPlan, PlanAction, ResourceSpec } from "../../contracts/index.js";
import { destroyPlan, refreshState } from "../operations/index.js";
import {
  expectEqual,
  expectRejectsWith,
  expectResolves,
  expectThat,
  show,
} from "./conformance-failure.js";
import type { Scenario } from "./conformance-types.js";
import { applyFailures, type ScenarioContext, typeSlug } from "./scenario-context.js";

/**
 * Applying plans through the provider with the real engine (applyPlan, refresh,
 * destroy): §8 checks 5–8, 12–14, 20–24, plus the properties the engine relies on —
 * idempotence, in-place updates, replacement and destroy.
 */

function handPlan(ctx: ScenarioContext, ...actions: PlanAction[]): IaCPlan {
  return { id: `plan-${ctx.name("hand")}`, created_at: new Date().toISOString(), actions };
}

function kinds(plan: IaCPlan): string[] {
  return plan.actions.map((a) => `${a.action} ${a.resource.name}`);
}

const deleteAction: Scenario = {
  id: "delete-action",
  title: "applying a plan with one delete deletes through the driver exactly once",
  checks: [5, 6, 7, 8],
  needs: { resourceTypes: [] },
  offline: false,
  smoke: false,
  async run(ctx) {
    const spec = ctx.spec(ctx.subject, "delete");
    await ctx.converge("set-up", [ctx.desired(spec)]);
    const entry = await ctx.state("set-up", spec.name);
    const planned = await expectResolves("set-up", "planning the removal", () => ctx.plan([]));
    expectEqual("set-up", "the plan once the resource is no longer desired", kinds(planned.plan), [
      `delete ${spec.name}`,
    ]);
    const deletes = ctx.recorder.count("delete", spec.name);
    const result = await expectResolves("§8.5", "applyPlan of a plan with one delete", () =>
      ctx.apply(planned.plan),
    );
    expectThat(
      "§8.5",
      "applyPlan returns a result",
      typeof result === "object" && result !== null,
      "an ApplyResult",
      () => show(result),
    );
    expectEqual("§8.6", "apply errors", applyFailures(result), "");
    expectEqual("§8.7", "resources in the result of a delete", result.resources, []);
    expectEqual(
      "§8.8",
      "driver delete calls",
      ctx.recorder.count("delete", spec.name) - deletes,
      1,
    );
    expectEqual(
      "9",
      "the state entry after the delete",
      await ctx.store.getResource(spec.name),
      undefined,
    );
    await expectRejectsWith("10", "reading the deleted resource", () =>
      ctx.subject.driver.read({ name: spec.name, type: spec.type, provider_id: entry.provider_id }),
    );
  },
};

const outputsRefresh: Scenario = {
  id: "outputs-refresh",
  title: "refresh merges the live outputs into state and keeps keys the read no longer reports",
  checks: [12, 13, 14],
  needs: { resourceTypes: ["infra.compute"] },
  offline: false,
  smoke: false,
  async run(ctx) {
    const subject = ctx.subject;
    const spec = ctx.spec(subject, "vm");
    await ctx.converge("set-up", [ctx.desired(spec)]);
    const entry = await ctx.state("set-up", spec.name);
    const ref = { name: spec.name, type: spec.type, provider_id: entry.provider_id };
    const live = await expectResolves("set-up", "reading the created resource", () =>
      subject.driver.read(ref),
    );
    await ctx.store.saveResource({ ...entry, outputs: { wfctl_conformance_ip: "1.2.3.4" } });
    const result = await expectResolves("§8.12", "refreshState", () =>
      refreshState({
        providers: ctx.providers,
        store: ctx.store,
        prune: false,
        signal: ctx.signal,
      }),
    );
    expectEqual("§8.12", "the refreshed resources", result.refreshed, [spec.name]);
    const after = await ctx.state("§8.12", spec.name);
    expectEqual(
      "§8.13",
      "a stored output key the read does not report",
      after.outputs.wfctl_conformance_ip,
      "1.2.3.4",
    );
    const sensitive = live.sensitive ?? {};
    const missing = Object.keys(live.outputs ?? {}).filter(
      (k) => sensitive[k] !== true && !Object.hasOwn(after.outputs, k),
    );
    expectThat(
      "§8.14",
      "every output key the read reports is added to state",
      missing.length === 0,
      "all of them",
      () => `missing ${show(missing)}`,
    );
  },
};

const replaceCascade: Scenario = {
  id: "replace-cascade",
  title:
    "a dependent created with ${parent.id} gets the new ID of a parent replaced in the same apply",
  checks: [20, 21, 22],
  needs: { resourceTypes: ["infra.vpc"], fixture: ["replace"] },
  offline: false,
  smoke: false,
  async run(ctx) {
    const parent = ctx.subject;
    const dependent = await ctx.pick(["reference"], ["infra.app"]);
    const parentSpec = ctx.spec(parent, "parent");
    await ctx.converge("set-up", [ctx.desired(parentSpec)]);
    const key = dependent.fixture.referenceKey!;
    const dependentSpec = ctx.spec(dependent, "dependent", undefined, {
      [key]: `\${${parentSpec.name}.id}`,
    });
    const planned = await expectResolves(
      "§8.20",
      "planning the replace and the dependent's create",
      () =>
        ctx.plan([ctx.desired(ctx.spec(parent, "parent", "replace")), ctx.desired(dependentSpec)]),
    );
    expectEqual("4", "the plan", kinds(planned.plan), [
      `replace ${parentSpec.name}`,
      `create ${dependentSpec.name}`,
    ]);
    const result = await expectResolves("§8.20", "applying it", () => ctx.apply(planned.plan));
    expectEqual("§8.21", "apply errors", applyFailures(result), "");
    const newId = result.replace_id_map?.[parentSpec.name] ?? "";
    expectThat(
      "§8.22",
      "ReplaceIDMap has the parent's new ID",
      newId !== "",
      "a non-empty ID",
      () => show(result.replace_id_map),
    );
    expectEqual(
      "5",
      "the parent's provider ID in state",
      (await ctx.state("5", parentSpec.name)).provider_id,
      newId,
    );
    const creates = ctx.recorder.find("create", dependentSpec.name);
    const given = (creates.at(-1)?.args[0] as ResourceSpec | undefined)?.config[key];
    expectEqual("6", `the dependent's ${key} as its driver received it`, given, newId);
  },
};

const upsertOnAlreadyExists: Scenario = {
  id: "upsert-on-already-exists",
  title: "creating a resource that already exists recovers by read-by-name and one update",
  checks: [23, 24],
  needs: { resourceTypes: ["infra.compute"], capability: "upsert" },
  offline: false,
  smoke: false,
  async run(ctx) {
    const subject = ctx.subject;
    const existing = await ctx.create("set-up", subject, "existing");
    const updates = ctx.recorder.count("update", existing.spec.name);
    const result = await expectResolves("§8.23", "applying a create of the existing resource", () =>
      ctx.apply(handPlan(ctx, { action: "create", resource: existing.spec })),
    );
    expectEqual("§8.23", "apply errors", applyFailures(result), "");
    expectThat(
      "§8.24",
      "the result lists the resource",
      result.resources.some((r) => r.name === existing.spec.name),
      `"${existing.spec.name}"`,
      () => show(result.resources.map((r) => r.name)),
    );
    const entry = await ctx.state("3", existing.spec.name);
    expectEqual(
      "3",
      "the provider ID in state (create must reject a taken name with ErrResourceAlreadyExists, so the existing resource is taken over rather than duplicated)",
      entry.provider_id,
      existing.output.provider_id,
    );
    expectEqual(
      "4",
      "driver update calls after the conflict",
      ctx.recorder.count("update", existing.spec.name) - updates,
      1,
    );
  },
};

const updateInPlace: Scenario = {
  id: "update-in-place",
  title: "an in-place change plans an update that keeps the provider ID",
  needs: { resourceTypes: [], fixture: ["update"] },
  offline: false,
  smoke: false,
  async run(ctx) {
    const subject = ctx.subject;
    const spec = ctx.spec(subject, "update");
    await ctx.converge("set-up", [ctx.desired(spec)]);
    const before = await ctx.state("set-up", spec.name);
    const changed = ctx.desired(ctx.spec(subject, "update", "update"));
    const planned = await expectResolves("1", "planning the change", () => ctx.plan([changed]));
    expectEqual("1", `the plan for ${show(subject.fixture.update)}`, kinds(planned.plan), [
      `update ${spec.name}`,
    ]);
    const result = await expectResolves("2", "applying it", () => ctx.apply(planned.plan));
    expectEqual("2", "apply errors", applyFailures(result), "");
    expectEqual(
      "3",
      "the provider ID after an in-place update",
      (await ctx.state("3", spec.name)).provider_id,
      before.provider_id,
    );
    const again = await expectResolves("4", "planning again", () => ctx.plan([changed]));
    expectEqual("4", "the plan once the update is applied", kinds(again.plan), []);
  },
};

const applyIdempotent: Scenario = {
  id: "apply-idempotent",
  title: "after applying a plan, planning the same config again yields no actions",
  needs: { resourceTypes: [] },
  offline: false,
  smoke: false,
  async run(ctx) {
    const desired = ctx.subjects.map((s) => ctx.desired(ctx.spec(s, typeSlug(s.type))));
    const result = await ctx.converge("1", desired);
    const names = desired.map((d) => d.spec.name);
    expectEqual(
      "2",
      "the resources the apply reports",
      result.resources.map((r) => r.name).sort(),
      [...names].sort(),
    );
    const listed = (await ctx.store.listResources()).map((s) => s.name);
    expectEqual("2", "the resources in state", listed.sort(), [...names].sort());
    const again = await expectResolves("3", "planning the same config again", () =>
      ctx.plan(desired),
    );
    expectEqual(
      "3",
      "the second plan (every driver's Diff must report no change)",
      kinds(again.plan),
      [],
    );
  },
};

const destroyAll: Scenario = {
  id: "destroy-all",
  title: "a destroy plan removes every resource, dependents first, and empties state",
  needs: { resourceTypes: [] },
  offline: false,
  smoke: false,
  async run(ctx) {
    const first = ctx.subject;
    const base = ctx.spec(first, "base");
    const dependent = { ...ctx.spec(first, "on-base"), depends_on: [base.name] };
    const others = ctx.subjects.slice(1).map((s) => ctx.spec(s, typeSlug(s.type)));
    await ctx.converge(
      "set-up",
      [base, dependent, ...others].map((s) => ctx.desired(s)),
    );
    const state = await ctx.store.listResources();
    const { plan } = destroyPlan(state);
    const order = plan.actions.map((a) => a.resource.name);
    expectThat(
      "1",
      "the destroy plan deletes the dependent before what it depends on",
      order.indexOf(dependent.name) < order.indexOf(base.name),
      `${dependent.name} before ${base.name}`,
      () => show(order),
    );
    const result = await expectResolves("2", "applying the destroy plan", () => ctx.apply(plan));
    expectEqual("2", "apply errors", applyFailures(result), "");
    expectEqual(
      "3",
      "state after destroy",
      (await ctx.store.listResources()).map((s) => s.name),
      [],
    );
    for (const entry of state) {
      const subject = ctx.subjects.find((s) => s.type === entry.type)!;
      await expectRejectsWith("4", `reading destroyed ${entry.type} "${entry.name}"`, () =>
        subject.driver.read({ name: entry.name, type: entry.type, provider_id: entry.provider_id }),
      );
    }
  },
};

const replacer: Scenario = {
  id: "replacer",
  title: "a ResourceReplacer driver owns the replace: one replace call, no engine delete or create",
  needs: { resourceTypes: [], fixture: ["replace"], capability: "replacer" },
  offline: false,
  smoke: false,
  async run(ctx) {
    const subject = ctx.subject;
    const spec = ctx.spec(subject, "replaced");
    await ctx.converge("set-up", [ctx.desired(spec)]);
    const old = await ctx.state("set-up", spec.name);
    const planned = await expectResolves("1", "planning a force-new change", () =>
      ctx.plan([ctx.desired(ctx.spec(subject, "replaced", "replace"))]),
    );
    expectEqual("1", "the plan", kinds(planned.plan), [`replace ${spec.name}`]);
    const count = () =>
      ["replace", "delete", "create"].map((m) => ctx.recorder.count(m, spec.name));
    const [replaces, deletes, creates] = count();
    const result = await expectResolves("2", "applying the replace", () => ctx.apply(planned.plan));
    expectEqual("2", "apply errors", applyFailures(result), "");
    const [replacesAfter, deletesAfter, createsAfter] = count();
    expectEqual(
      "3",
      "driver calls during the apply (replace, delete, create)",
      [replacesAfter! - replaces!, deletesAfter! - deletes!, createsAfter! - creates!],
      [1, 0, 0],
    );
    const now = await ctx.state("4", spec.name);
    const live = await ctx.read(subject, {
      name: spec.name,
      type: spec.type,
      provider_id: now.provider_id,
    });
    expectThat(
      "4",
      "the replacement is readable under the provider ID in state",
      live !== undefined,
      "a resource",
      () => "not found",
    );
    if (now.provider_id !== old.provider_id) {
      await expectRejectsWith("5", "reading the replaced (old) resource", () =>
        subject.driver.read({ name: spec.name, type: spec.type, provider_id: old.provider_id }),
      );
    }
  },
};

const finalizer: Scenario = {
  id: "finalizer",
  title: "FinalizeApply runs once per apply with the plan's ID, even for an empty plan",
  needs: { capability: "finalizer" },
  offline: true,
  smoke: false,
  async run(ctx) {
    const plan = handPlan(ctx);
    const result = await expectResolves("1", "applying an empty plan", () => ctx.apply(plan));
    expectEqual("1", "apply errors (finalizeApply rejected?)", applyFailures(result), "");
    const calls = ctx.recorder.find("finalizeApply", undefined, "provider");
    expectEqual("2", "finalizeApply calls", calls.length, 1);
    expectEqual("3", "the plan ID finalizeApply got", calls[0]!.args[0], plan.id);
  },
};

export const applyScenarios: readonly Scenario[] = [
  deleteAction,
  outputsRefresh,
  replaceCascade,
  upsertOnAlreadyExists,
  updateInPlace,
  applyIdempotent,
  destroyAll,
  replacer,
  finalizer,
];
