import { isDeepStrictEqual } from "node:util";
import {
  type IaCPlan,
  isPlanDiagnosticSeverity,
  isProviderValidator,
  type PlanDiagnostic,
  PlanDiagnosticError,
  type ResourceOutput,
} from "../../contracts/index.js";
import { expectEqual, expectResolves, expectThat, show } from "./conformance-failure.js";
import type { Scenario } from "./conformance-types.js";
import { type ScenarioContext, typeSlug } from "./scenario-context.js";

/** Planning through the provider's drivers and validator (§8 checks 1–4, 9–11, 15–17). */

const needsReplace: Scenario = {
  id: "needs-replace",
  title: "a force-new change to a created resource plans exactly one replace",
  checks: [1, 2, 3, 4],
  needs: { resourceTypes: ["infra.vpc"], fixture: ["replace"] },
  offline: false,
  smoke: true,
  async run(ctx) {
    const subject = ctx.subject;
    const created = ctx.spec(subject, "vpc");
    await ctx.converge("set-up", [ctx.desired(created)]);
    const changed = ctx.spec(subject, "vpc", "replace");
    const planned = await expectResolves(
      "§8.1",
      `computePlan with ${show(subject.fixture.replace)} changed`,
      () => ctx.plan([ctx.desired(changed)]),
    );
    const actions = planned.plan.actions;
    expectEqual("§8.2", "the number of planned actions", actions.length, 1);
    expectEqual(
      "§8.3",
      `the action for a force-new change (${show(subject.fixture.replace)})`,
      actions[0]!.action,
      "replace",
    );
    expectEqual("§8.4", "the replaced resource's name", actions[0]!.resource.name, created.name);
  },
};

/** JSON out and back in: what a value looks like after crossing the plugin wire. */
function overTheWire<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

const diffRoundTrip: Scenario = {
  id: "diff-survives-wire-round-trip",
  title: "Diff accepts outputs of every JSON kind after a wire round trip",
  checks: [9, 10, 11],
  needs: { resourceTypes: ["infra.vpc"] },
  offline: true,
  smoke: false,
  async run(ctx) {
    const subject = ctx.subject;
    const desired = ctx.spec(subject, "vpc", subject.fixture.replace ? "replace" : undefined);
    const current: ResourceOutput = overTheWire({
      name: desired.name,
      type: subject.type,
      provider_id: "conformance-existing-id",
      outputs: {
        text: "value",
        count: 3,
        ratio: 0.75,
        enabled: true,
        nothing: null,
        list: ["a", 1, false, null],
        map: { nested: { key: "value" }, numbers: [1, 2.5] },
      },
      status: "running",
    });
    const result = await expectResolves(
      "§8.9",
      "Diff of a spec against wire round-tripped outputs",
      () => subject.driver.diff(overTheWire(desired), current, { signal: ctx.signal }),
    );
    expectThat(
      "§8.10",
      "Diff returns a DiffResult",
      typeof result === "object" && result !== null,
      "an object",
      () => show(result),
    );
    const changes = Array.isArray(result.changes) ? result.changes : [];
    expectThat(
      "§8.11",
      "every change names its path",
      changes.every((c) => typeof c?.path === "string" && c.path !== ""),
      "non-empty paths",
      () => show(changes),
    );
    expectThat(
      "4",
      "needs_update and needs_replace are booleans, changes an array",
      typeof result.needs_update === "boolean" &&
        typeof result.needs_replace === "boolean" &&
        Array.isArray(result.changes),
      "{needs_update: boolean, needs_replace: boolean, changes: [...]}",
      () => show(result),
    );
  },
};

async function validate(ctx: ScenarioContext, plan: IaCPlan): Promise<PlanDiagnostic[]> {
  const provider = ctx.provider;
  if (!isProviderValidator(provider))
    return ctx.skip("the provider does not implement ProviderValidator");
  const before = structuredClone(plan);
  const diagnostics = await expectResolves("1", "validatePlan resolves", () =>
    ctx.optional("validatePlan", () => provider.validatePlan(plan)),
  );
  expectThat(
    "3",
    "validatePlan leaves the plan unchanged",
    isDeepStrictEqual(plan, before),
    "the plan as given",
    () => show(plan),
  );
  expectThat(
    "2",
    "validatePlan returns a list of diagnostics",
    Array.isArray(diagnostics),
    "an array",
    () => show(diagnostics),
  );
  return diagnostics;
}

function planOf(
  ctx: ScenarioContext,
  ...resources: IaCPlan["actions"][number]["resource"][]
): IaCPlan {
  return {
    id: `plan-${ctx.name("validate")}`,
    created_at: new Date().toISOString(),
    actions: resources.map((resource) => ({ action: "create", resource })),
  };
}

const crossResourceConstraint: Scenario = {
  id: "cross-resource-constraint",
  title: "the validator flags a reference to a resource that does not exist",
  checks: [15, 16, 17],
  needs: { resourceTypes: ["infra.database"], fixture: ["reference"], capability: "validator" },
  offline: true,
  smoke: false,
  async run(ctx) {
    const subject = ctx.subject;
    const key = subject.fixture.referenceKey!;
    const db = ctx.spec(subject, "db", undefined, { [key]: "missing-vpc" });
    const diagnostics = await validate(ctx, planOf(ctx, db));
    expectThat(
      "§8.15",
      `a ${key} naming a missing resource yields a diagnostic`,
      diagnostics.length > 0,
      "at least one diagnostic",
      () => "none",
    );
    expectThat(
      "§8.16",
      "every diagnostic has a message",
      diagnostics.every((d) => typeof d.message === "string" && d.message !== ""),
      "non-empty messages",
      () => show(diagnostics),
    );
    expectThat(
      "§8.17",
      "at least one diagnostic is an error",
      diagnostics.some((d) => d.severity === PlanDiagnosticError),
      `severity ${PlanDiagnosticError} (error)`,
      () => show(diagnostics.map((d) => d.severity)),
    );
  },
};

const validatorAcceptsFixtures: Scenario = {
  id: "validator-accepts-valid-plan",
  title: "the validator finds no error in a plan of valid resources",
  needs: { resourceTypes: [], capability: "validator" },
  offline: true,
  smoke: false,
  async run(ctx) {
    const specs = ctx.subjects.map((s) => ctx.spec(s, typeSlug(s.type)));
    const diagnostics = await validate(ctx, planOf(ctx, ...specs));
    expectThat(
      "4",
      "every diagnostic is well-formed",
      diagnostics.every(
        (d) => isPlanDiagnosticSeverity(d.severity) && typeof d.message === "string",
      ),
      "{severity: 0|1|2, message}",
      () => show(diagnostics),
    );
    const errors = diagnostics.filter((d) => d.severity === PlanDiagnosticError);
    expectEqual("5", "error diagnostics for the fixtures' configs", errors, []);
  },
};

export const planScenarios: readonly Scenario[] = [
  needsReplace,
  diffRoundTrip,
  crossResourceConstraint,
  validatorAcceptsFixtures,
];
