import type { IaCPlan, ResourceState } from "../../contracts/index.js";
import { toError, WfError } from "../../diagnostics/index.js";
import { checkProtected } from "../apply/index.js";
import { inputFingerprint } from "../hashing.js";
import { checkPlanFresh, PlanStaleError } from "../plan/index.js";
import { resolveReferences } from "../references.js";
import { expectEqual, expectThat, show } from "./conformance-failure.js";
import type { Scenario } from "./conformance-types.js";

/**
 * Upstream's platform-level checks (§8 checks 25–28): engine behaviour every provider
 * relies on, run without calling the provider (ADR 010), so a kit run also proves the
 * engine it runs against.
 */

function thrown(fn: () => void): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
}

const planStale: Scenario = {
  id: "plan-stale",
  title: "a saved plan whose inputs or config changed is refused as stale",
  checks: [25],
  needs: {},
  offline: true,
  smoke: false,
  async run() {
    const before = inputFingerprint("postgres://old");
    const after = inputFingerprint("postgres://new");
    const saved: IaCPlan = {
      id: "plan-conformance",
      actions: [],
      created_at: new Date(0).toISOString(),
      plan_hash: "conformance-hash",
      input_snapshot: { DATABASE_URL: before },
    };
    const err = thrown(() =>
      checkPlanFresh(saved, {
        plan_hash: "conformance-hash",
        input_snapshot: { DATABASE_URL: after },
      }),
    );
    expectThat(
      "§8.25",
      "a changed input makes the plan stale",
      err instanceof PlanStaleError,
      "a PlanStaleError",
      () => (err === undefined ? "no error" : toError(err).message),
    );
    const stale = err as PlanStaleError;
    for (const part of ["DATABASE_URL", before, after]) {
      expectThat(
        "§8.25",
        "the stale message names the input and both fingerprints",
        stale.message.includes(part),
        `a message containing ${show(part)}`,
        () => show(stale.message),
      );
    }
    // Our errors.Is(err, ErrEnvVarChanged): the reason, and the catalog code the CLI exits on.
    expectEqual("§8.25", "the stale reason is a changed input", stale.reason, "inputs");
    expectEqual("§8.25", "the error code", stale.code, "WF_ERR_PLAN_STALE");

    const changed = thrown(() =>
      checkPlanFresh(saved, { plan_hash: "other-hash", input_snapshot: { DATABASE_URL: before } }),
    );
    expectThat(
      "2",
      "a changed config hash makes the plan stale",
      changed instanceof PlanStaleError && changed.reason === "config_hash",
      "a PlanStaleError with reason config_hash",
      () => (changed === undefined ? "no error" : toError(changed).message),
    );
  },
};

const infraOutputCrossModule: Scenario = {
  id: "infra-output-cross-module",
  title: "${resource.field} references resolve from another resource's outputs",
  checks: [26],
  needs: {},
  offline: true,
  smoke: false,
  async run() {
    const outputs = { id: "vpc-12345", endpoint: "https://vpc.example.com" };
    const { config, unresolved } = resolveReferences(
      {
        vpc: "${moduleA.id}",
        api: "${moduleA.endpoint}/api",
        plain: "static-value",
      },
      { outputs: (resource) => (resource === "moduleA" ? outputs : undefined) },
      "strict",
    );
    expectEqual("§8.26", "${moduleA.id} resolves to the provider ID", config.vpc, "vpc-12345");
    expectEqual(
      "§8.26",
      "${moduleA.endpoint}/api resolves inside a string",
      config.api,
      "https://vpc.example.com/api",
    );
    expectEqual("§8.26", "a static value is untouched", config.plain, "static-value");
    expectEqual("§8.26", "nothing is left unresolved", unresolved, []);
    const missing = resolveReferences(
      { vpc: "${missingModule.id}" },
      { outputs: () => undefined },
      "strict",
    );
    expectEqual(
      "§8.26",
      "${missingModule.id} is reported unresolved (apply fails the action)",
      missing.unresolved,
      ["${missingModule.id}"],
    );
  },
};

/** A plan replacing the protected `prod-db`. */
function protectedReplacePlan(): IaCPlan {
  const now = new Date(0).toISOString();
  const current: ResourceState = {
    id: "prod-db",
    name: "prod-db",
    type: "infra.database",
    provider: "p",
    provider_id: "db-1",
    config_hash: "",
    applied_config: { engine: "postgres", protected: true },
    applied_config_source: "apply",
    outputs: {},
    dependencies: [],
    created_at: now,
    updated_at: now,
  };
  return {
    id: "plan-conformance",
    created_at: now,
    actions: [
      {
        action: "replace",
        resource: {
          name: "prod-db",
          type: "infra.database",
          config: { engine: "mysql", protected: true },
        },
        current,
        changes: [{ path: "engine", old: "postgres", new: "mysql", force_new: true }],
      },
    ],
  };
}

const protectedReplaceWithoutOverride: Scenario = {
  id: "protected-replace-without-override",
  title: "replacing a protected resource is refused, naming it and the flag to allow it",
  checks: [27],
  needs: {},
  offline: true,
  smoke: false,
  async run() {
    const err = thrown(() => checkProtected(protectedReplacePlan(), []));
    expectThat(
      "§8.27",
      "the protected gate refuses the replace",
      WfError.is(err) && err.code === "WF_ERR_PROTECTED",
      "a WF_ERR_PROTECTED error",
      () => (err === undefined ? "no error" : toError(err).message),
    );
    const message = toError(err).message;
    for (const part of ["prod-db", "--allow-replace=prod-db", "(replace)"]) {
      expectThat(
        "§8.27",
        "the refusal names the resource, the action and the flag",
        message.includes(part),
        `a message containing ${show(part)}`,
        () => show(message),
      );
    }
  },
};

const protectedReplaceWithOverride: Scenario = {
  id: "protected-replace-with-override",
  title: "--allow-replace lets exactly the named protected resources through",
  checks: [28],
  needs: {},
  offline: true,
  smoke: false,
  async run() {
    const allowed = thrown(() => checkProtected(protectedReplacePlan(), ["prod-db"]));
    expectThat(
      "§8.28",
      "allowing prod-db lets its replace through",
      allowed === undefined,
      "no error",
      () => toError(allowed).message,
    );
    const other = thrown(() => checkProtected(protectedReplacePlan(), ["other-db"]));
    expectThat(
      "§8.28",
      "allowing only another resource still refuses",
      WfError.is(other) && other.code === "WF_ERR_PROTECTED",
      "a WF_ERR_PROTECTED error",
      () => (other === undefined ? "no error" : toError(other).message),
    );
  },
};

export const platformScenarios: readonly Scenario[] = [
  planStale,
  infraOutputCrossModule,
  protectedReplaceWithoutOverride,
  protectedReplaceWithOverride,
];
