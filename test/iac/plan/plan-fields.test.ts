import { describe, expect, it } from "vitest";
import { type IaCPlan, PlanDiagnosticError } from "../../../src/contracts/index.js";
import { configHash, desiredHash, inputFingerprint } from "../../../src/iac/hashing.js";
import { computePlan } from "../../../src/iac/plan/index.js";
import { applied, desired, fakeCloud, planInput } from "./plan-fixtures.js";

describe("computePlan: plan fields", () => {
  it("identifies the plan and stamps it with the generator", async () => {
    const cloud = await fakeCloud();
    const { plan } = await computePlan(planInput({ cloud }, { desired: [desired("a")] }));
    expect(plan.id).toMatch(/^plan-\d{19,}$/);
    expect(new Date(plan.created_at).toISOString()).toBe(plan.created_at);
    expect(plan.generator_metadata).toEqual({ wfctl_version: "0.1.0-test" });
    expect(plan.include).toBeUndefined();
  });

  it("hashes the desired specs: stable, blind to key order, sensitive to content", async () => {
    const cloud = await fakeCloud();
    const hashOf = async (resources: ReturnType<typeof desired>[]) =>
      (await computePlan(planInput({ cloud }, { desired: resources }))).plan.plan_hash;
    const first = await hashOf([desired("a", { x: 1, y: { p: 1, q: 2 } }), desired("b")]);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(await hashOf([desired("a", { x: 1, y: { p: 1, q: 2 } }), desired("b")])).toBe(first);
    expect(await hashOf([desired("b"), desired("a", { y: { q: 2, p: 1 }, x: 1 })])).toBe(first);
    expect(await hashOf([desired("a", { x: 2, y: { p: 1, q: 2 } }), desired("b")])).not.toBe(first);
  });

  it("hashes specs with references as written, whatever state resolves them to", async () => {
    const cloud = await fakeCloud();
    const specs = [desired("vpc"), desired("app", { v: "${vpc.id}" })];
    const before = await computePlan(planInput({ cloud }, { desired: specs }));
    const after = await computePlan(
      planInput({ cloud }, { desired: specs, state: [applied(cloud, "vpc", {})] }),
    );
    expect(after.plan.plan_hash).toBe(before.plan.plan_hash);
    expect(before.plan.plan_hash).toBe(desiredHash(specs.map((d) => d.spec)));
  });

  it("gives each non-delete action the hash of its resolved config", async () => {
    const cloud = await fakeCloud();
    const vpc = applied(cloud, "vpc", {});
    const { plan } = await computePlan(
      planInput(
        { cloud },
        {
          state: [vpc, applied(cloud, "old", { k: 1 })],
          desired: [desired("app", { v: "${vpc.id}" }), desired("empty")],
        },
      ),
    );
    const byName = Object.fromEntries(plan.actions.map((a) => [a.resource.name, a]));
    expect(byName.app?.resolved_config_hash).toBe(configHash({ v: vpc.provider_id }));
    expect(byName.empty?.resolved_config_hash).toBeUndefined(); // empty config
    expect(byName.old?.resolved_config_hash).toBeUndefined(); // deletes have none
  });

  it("fingerprints only the config's variables that are set", async () => {
    const cloud = await fakeCloud();
    const { plan } = await computePlan(
      planInput(
        { cloud },
        {
          desired: [desired("a")],
          envVarNames: ["TOKEN", "UNSET", "EMPTY"],
          environ: { TOKEN: "s3cret", EMPTY: "", UNRELATED: "x" },
        },
      ),
    );
    expect(plan.input_snapshot).toEqual({
      EMPTY: inputFingerprint(""),
      TOKEN: inputFingerprint("s3cret"),
    });
  });

  it("merges the provider's sizing into the planned config and the hash", async () => {
    const cloud = await fakeCloud();
    const { plan } = await computePlan(
      planInput({ cloud }, { desired: [desired("db", { tier: 1 }, { size: "m" })] }),
    );
    const sized = {
      tier: 1,
      sizing: { instance_type: "fake-m", specs: { cpu: "2", memory: "4Gi" } },
    };
    expect(plan.actions[0]?.resource).toMatchObject({ size: "m", config: sized });
    expect(plan.plan_hash).toBe(
      desiredHash([{ name: "db", type: "infra.app", size: "m", config: sized }]),
    );
  });

  it("diffs the sized config, so an applied sized resource plans no change", async () => {
    const cloud = await fakeCloud();
    const state = [
      applied(cloud, "db", {
        tier: 1,
        sizing: { instance_type: "fake-m", specs: { cpu: "2", memory: "4Gi" } },
      }),
    ];
    const { plan } = await computePlan(
      planInput({ cloud }, { state, desired: [desired("db", { tier: 1 }, { size: "m" })] }),
    );
    expect(plan.actions).toEqual([]);
  });
});

describe("computePlan: provider validators", () => {
  it("collects each validator's findings over its own actions, keeping severity", async () => {
    const east = await fakeCloud({ capabilities: ["validator"] });
    const west = await fakeCloud({ capabilities: ["validator"] });
    const plain = await fakeCloud();
    const seen: Record<string, string[]> = {};
    for (const [module, provider] of Object.entries({ east, west })) {
      const validate = provider.validatePlan.bind(provider);
      provider.validatePlan = (plan: IaCPlan) => {
        seen[module] = plan.actions.map((a) => a.resource.name);
        return validate(plan);
      };
    }
    const { diagnostics } = await computePlan(
      planInput(
        { east, west, plain },
        {
          desired: [
            desired("net", {}, { provider: "east" }),
            desired("api", { vpc_ref: "net" }, { provider: "east" }),
            desired("web", { vpc_ref: "missing" }, { provider: "west" }),
            desired("job", { vpc_ref: "missing" }, { provider: "plain" }),
          ],
        },
      ),
    );
    expect(seen).toEqual({ east: ["net", "api"], west: ["web"] });
    expect(diagnostics).toEqual([
      {
        severity: PlanDiagnosticError,
        resource: "web",
        field: "vpc_ref",
        message: 'vpc_ref "missing" names no vpc',
        provider: "west",
      },
    ]);
  });
});
