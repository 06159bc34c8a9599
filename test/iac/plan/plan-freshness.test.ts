import { describe, expect, it } from "vitest";
import type { IaCPlan, ResourceState } from "../../../src/contracts/index.js";
import { inputFingerprint } from "../../../src/iac/hashing.js";
import {
  checkPlanFresh,
  computePlan,
  PlanStaleError,
  verifySavedPlan,
} from "../../../src/iac/plan/index.js";
import { ProviderSet } from "../../../src/iac/provider-set.js";
import { applied, desired, fakeCloud, planInput } from "./plan-fixtures.js";

const saved = (fields: Partial<IaCPlan> = {}): IaCPlan => ({
  id: "plan-1",
  actions: [],
  created_at: "2026-01-01T00:00:00Z",
  plan_hash: "abc",
  schema_version: 1,
  input_snapshot: {},
  ...fields,
});

describe("checkPlanFresh", () => {
  it("accepts a plan whose hash and inputs still match", () => {
    const snapshot = { TOKEN: inputFingerprint("a") };
    expect(() =>
      checkPlanFresh(saved({ input_snapshot: snapshot }), {
        plan_hash: "abc",
        input_snapshot: snapshot,
      }),
    ).not.toThrow();
  });

  it("refuses a changed config", () => {
    expect(() => checkPlanFresh(saved(), { plan_hash: "def", input_snapshot: {} })).toThrow(
      "plan stale: config hash mismatch (run wfctl infra plan again)",
    );
  });

  it("names every changed input with both fingerprints, (unset) for a missing one", () => {
    const plan = saved({
      input_snapshot: {
        A_TOKEN: inputFingerprint("old"),
        B_GONE: inputFingerprint("x"),
        C_SAME: "1",
      },
    });
    let caught: unknown;
    try {
      checkPlanFresh(plan, {
        plan_hash: "def", // inputs are reported before the hash
        input_snapshot: {
          A_TOKEN: inputFingerprint("new"),
          C_SAME: "1",
          D_NEW: inputFingerprint("n"),
        },
      });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(PlanStaleError);
    const err = caught as PlanStaleError;
    expect(err.code).toBe("WF_ERR_PLAN_STALE");
    expect(err.message.split("\n")).toEqual([
      "plan stale: 3 input(s) changed since plan",
      `  A_TOKEN: fingerprint ${inputFingerprint("old")} (plan) → ${inputFingerprint("new")} (apply)`,
      `  B_GONE: fingerprint ${inputFingerprint("x")} (plan) → (unset) (apply)`,
      `  D_NEW: fingerprint (unset) (plan) → ${inputFingerprint("n")} (apply)`,
      "hint: restore these environment variables, or run wfctl infra plan -o FILE again",
    ]);
    expect(err.inputDrift.map((d) => d.name)).toEqual(["A_TOKEN", "B_GONE", "D_NEW"]);
  });

  it("refuses a plan without a hash, and a newer schema", () => {
    expect(() =>
      checkPlanFresh(saved({ plan_hash: "" }), { plan_hash: "x", input_snapshot: {} }),
    ).toThrow("plan file has no hash — regenerate with: wfctl infra plan -o plan.json");
    expect(() =>
      checkPlanFresh(saved({ schema_version: 3 }), { plan_hash: "abc", input_snapshot: {} }),
    ).toThrow(
      expect.objectContaining({
        code: "WF_ERR_STATE_VERSION",
        message: expect.stringContaining("schema_version 3"),
      }),
    );
    // Legacy plans without a schema version are accepted.
    const { schema_version: _, ...legacy } = saved();
    expect(() => checkPlanFresh(legacy, { plan_hash: "abc", input_snapshot: {} })).not.toThrow();
  });
});

describe("verifySavedPlan", () => {
  async function world() {
    const cloud = await fakeCloud();
    const providers = ProviderSet.of({ cloud });
    const vpc = applied(cloud, "vpc", { region: "eu" });
    const api = applied(cloud, "api", { vpc: vpc.provider_id, tier: 1 });
    const specs = [
      desired("vpc", { region: "eu" }),
      desired("api", { vpc: "${vpc.id}", tier: 2 }),
      desired("db", { tier: 1 }, { size: "s" }),
    ];
    const state: ResourceState[] = [vpc, api];
    const envVarNames = ["TOKEN"];
    const environ = { TOKEN: "t" };
    const { plan } = await computePlan(
      planInput({ cloud }, { desired: specs, state, envVarNames, environ }),
    );
    return { plan, providers, specs, state, envVarNames, environ };
  }

  it("passes when nothing moved since plan", async () => {
    const w = await world();
    await expect(verifySavedPlan(w.plan, { ...w, desired: w.specs })).resolves.toBeUndefined();
  });

  it("refuses a plan after the config changed, or an input", async () => {
    const w = await world();
    const edited = [...w.specs.slice(0, 2), desired("db", { tier: 2 }, { size: "s" })];
    await expect(verifySavedPlan(w.plan, { ...w, desired: edited })).rejects.toThrow(
      "plan stale: config hash mismatch",
    );
    await expect(
      verifySavedPlan(w.plan, { ...w, desired: w.specs, environ: { TOKEN: "changed" } }),
    ).rejects.toThrow("plan stale: 1 input(s) changed since plan");
  });

  it("names resources whose state or resolved config moved on (ResolvedConfigHash)", async () => {
    const w = await world();
    const vpc = w.state[0]!;
    const api = w.state[1]!;
    // Someone else replaced the vpc (new ID, so api resolves differently) and created db.
    const movedVpc = { ...vpc, provider_id: "11111111-2222-3333-4444-555555555555" };
    const db = {
      ...api,
      id: "db",
      name: "db",
      provider_id: "99999999-2222-3333-4444-555555555555",
    };
    let caught: unknown;
    try {
      await verifySavedPlan(w.plan, { ...w, desired: w.specs, state: [movedVpc, api, db] });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(PlanStaleError);
    const err = caught as PlanStaleError;
    expect(err.reason).toBe("resources");
    expect(err.resources).toEqual(["api", "db"]);
    expect(err.message).toContain("plan stale: 2 resource change(s) since plan");
    expect(err.message).toContain("  api: its config resolves differently now");
    expect(err.message).toContain("  db: planned a create, but state now has it");
  });

  it("checks within the plan's include scope", async () => {
    const w = await world();
    const { plan } = await computePlan(
      planInput(
        { cloud: w.providers.get("cloud") },
        { desired: w.specs, state: w.state, include: ["db"] },
      ),
    );
    const edited = [desired("vpc", { region: "us" }), ...w.specs.slice(1)];
    await expect(
      verifySavedPlan(plan, { ...w, desired: edited, envVarNames: [] }),
    ).resolves.toBeUndefined();
  });
});
