import { describe, expect, it } from "vitest";
import { ActionStatus, type ResourceRef } from "../../../src/contracts/index.js";
import { checkProtected, inputDriftReport, troubleshoot } from "../../../src/iac/apply/index.js";
import { inputFingerprint } from "../../../src/iac/hashing.js";
import { ProviderSet } from "../../../src/iac/provider-set.js";
import {
  create,
  DB,
  harness,
  planOf,
  remove,
  replace,
  stateOf,
  withDriver,
} from "./apply-fixtures.js";

describe("apply: the protected gate", () => {
  async function destructive() {
    const h = await harness();
    const prod = stateOf(h.cloud.seed({ name: "prod-db", type: DB, config: {} }));
    const old = stateOf(h.cloud.seed({ name: "old-db", type: DB, config: {} }), {
      applied_config: { protected: true },
    });
    const plan = planOf(
      create("vpc"),
      replace(prod, { protected: true, engine: "pg16" }),
      remove(old),
    );
    return { h, plan };
  }

  it("lists every blocker at once, in plan order, and runs nothing", async () => {
    const { h, plan } = await destructive();
    await expect(h.apply(plan)).rejects.toMatchObject({
      code: "WF_ERR_PROTECTED",
      message: [
        "plan would require destructive action on 2 protected resource(s):",
        "  prod-db (replace)",
        "  old-db (delete)",
        "to authorize, re-run with:",
        "  --allow-replace=prod-db,old-db",
      ].join("\n"),
    });
    expect(h.cloud.calls).toEqual([]);
    expect(h.store.journal).toEqual([]);
  });

  it("allowing some still blocks the rest; the suggested flag covers all of them", () => {
    return destructive().then(({ plan }) => {
      expect(() => checkProtected(plan, ["prod-db"])).toThrow(
        /on 1 protected resource\(s\):\n {2}old-db \(delete\)\n.*\n {2}--allow-replace=prod-db,old-db$/s,
      );
      expect(() => checkProtected(plan, ["old-db", "prod-db"])).not.toThrow();
    });
  });

  it("runs once every protected resource is allowed", async () => {
    const { h, plan } = await destructive();
    const result = await h.apply(plan, { allowReplace: ["prod-db", "old-db"] });
    expect(result.errors).toEqual([]);
  });
});

describe("apply: FinalizeApply", () => {
  it("is called once per provider after the actions, also for an empty plan", async () => {
    const h = await harness({ capabilities: ["finalizer"] });
    const plan = planOf(create("a"), create("b"));
    await h.apply(plan);
    expect(h.cloud.finalized).toEqual([plan.id]);
    const empty = planOf();
    const result = await h.apply(empty);
    expect(result.actions).toEqual([]);
    expect(h.cloud.finalized).toEqual([plan.id, empty.id]);
  });

  it("is still called when an action failed", async () => {
    const h = await harness({ capabilities: ["finalizer"], fail_on: { a: ["create"] } });
    const plan = planOf(create("a"));
    await h.apply(plan);
    expect(h.cloud.finalized).toEqual([plan.id]);
  });

  it("is not called after an interrupt", async () => {
    const h = await harness({ capabilities: ["finalizer"] });
    await h.apply(planOf(create("a")), { signal: AbortSignal.abort() });
    expect(h.cloud.finalized).toEqual([]);
  });

  it("records its failure as a <plan-finalize> error", async () => {
    const h = await harness({ capabilities: ["finalizer"] });
    const failing = new Proxy(h.cloud, {
      get(t, prop) {
        if (prop === "finalizeApply") {
          return async () => {
            throw new Error("app spec rejected");
          };
        }
        const v: unknown = Reflect.get(t, prop, t);
        return typeof v === "function" ? v.bind(t) : v;
      },
    });
    h.providers = ProviderSet.of({ cloud: failing });
    const result = await h.apply(planOf(create("a")));
    expect(result.actions?.[0]?.status).toBe(ActionStatus.Success);
    expect(result.errors).toEqual([
      {
        resource: "<plan-finalize>",
        action: "finalize",
        error: 'plan finalize: provider "cloud": app spec rejected',
      },
    ]);
  });
});

describe("apply: input drift", () => {
  it("reports variables whose fingerprint changed since plan, sorted; unset ones are not drift", async () => {
    const h = await harness();
    const plan = {
      ...planOf(),
      input_snapshot: {
        ZED: inputFingerprint("z"),
        ALPHA: inputFingerprint("a"),
        GONE: inputFingerprint("g"),
        SAME: inputFingerprint("s"),
      },
    };
    const result = await h.apply(plan, {
      environ: { ZED: "z2", ALPHA: "a2", SAME: "s", UNRELATED: "x" },
    });
    expect(result.initial_input_snapshot).toEqual({
      ALPHA: inputFingerprint("a2"),
      SAME: inputFingerprint("s"),
      ZED: inputFingerprint("z2"),
    });
    expect(result.input_drift_report).toEqual([
      {
        name: "ALPHA",
        plan_fingerprint: inputFingerprint("a"),
        apply_fingerprint: inputFingerprint("a2"),
      },
      {
        name: "ZED",
        plan_fingerprint: inputFingerprint("z"),
        apply_fingerprint: inputFingerprint("z2"),
      },
    ]);
  });

  it("is computed even when actions fail", async () => {
    const h = await harness({ fail_on: { a: ["create"] } });
    const plan = { ...planOf(create("a")), input_snapshot: { V: inputFingerprint("1") } };
    const result = await h.apply(plan, { environ: { V: "2" } });
    expect(result.input_drift_report?.map((d) => d.name)).toEqual(["V"]);
    expect(inputDriftReport({ V: "x" }, {})).toEqual([]);
  });
});

describe("troubleshoot", () => {
  const ref: ResourceRef = { name: "api", type: "infra.app", provider_id: "p1" };

  it("returns the Troubleshooter's diagnostics", async () => {
    const h = await harness({ capabilities: ["troubleshooter"] });
    const diagnostics = await troubleshoot(h.cloud.resourceDriver("infra.app"), ref, "unhealthy");
    expect(diagnostics).toEqual([
      expect.objectContaining({ id: "deploy-api", cause: "fakecloud saw: unhealthy" }),
    ]);
  });

  it("gives nothing without a Troubleshooter, on error, or past its deadline", async () => {
    const h = await harness();
    expect(await troubleshoot(h.cloud.resourceDriver("infra.app"), ref, "x")).toEqual([]);
    const failing = withDriver(h.cloud, () => ({
      troubleshoot: async () => {
        throw new Error("no logs");
      },
    }));
    expect(await troubleshoot(failing.resourceDriver("infra.app"), ref, "x")).toEqual([]);
    const hanging = withDriver(h.cloud, () => ({ troubleshoot: () => new Promise(() => {}) }));
    expect(await troubleshoot(hanging.resourceDriver("infra.app"), ref, "x", 20)).toEqual([]);
  });
});
