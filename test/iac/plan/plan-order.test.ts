import { describe, expect, it } from "vitest";
import { computePlan } from "../../../src/iac/plan/index.js";
import { applied, desired, fakeCloud, planInput, summary } from "./plan-fixtures.js";

describe("computePlan: order", () => {
  it("puts dependencies first (depends_on and references), across providers, ties in config order", async () => {
    const east = await fakeCloud();
    const west = await fakeCloud();
    const { plan, providerOf } = await computePlan(
      planInput(
        { east, west },
        {
          desired: [
            desired("app", { db: "${db.endpoint}" }, { provider: "west" }),
            desired("cdn", {}, { provider: "east" }),
            desired("db", {}, { provider: "east", dependsOn: ["vpc"] }),
            desired("vpc", {}, { provider: "west" }),
            desired("zone", {}, { provider: "west" }),
          ],
        },
      ),
    );
    expect(summary(plan)).toEqual([
      "create vpc",
      "create db",
      "create app",
      "create cdn",
      "create zone",
    ]);
    expect(providerOf).toMatchObject({ vpc: "west", db: "east", app: "west" });
    // The planned spec carries reference edges too, for apply's DAG.
    expect(plan.actions.find((a) => a.resource.name === "app")?.resource.depends_on).toEqual([
      "db",
    ]);
  });

  it("runs deletes after everything else, dependents first", async () => {
    const cloud = await fakeCloud();
    const state = [
      applied(cloud, "old-vpc", {}),
      applied(cloud, "old-db", {}, { dependencies: ["old-vpc"] }),
      applied(cloud, "old-app", {}, { dependencies: ["old-db"] }),
      applied(cloud, "kept", { tier: 1 }),
    ];
    const { plan } = await computePlan(
      planInput({ cloud }, { state, desired: [desired("kept", { tier: 2 }), desired("new")] }),
    );
    expect(summary(plan)).toEqual([
      "update kept",
      "create new",
      "delete old-app",
      "delete old-db",
      "delete old-vpc",
    ]);
  });

  it("names the members of a dependency cycle", async () => {
    const cloud = await fakeCloud();
    const planning = computePlan(
      planInput(
        { cloud },
        {
          desired: [
            desired("solo"),
            desired("a", {}, { dependsOn: ["b"] }),
            desired("b", { peer: "${c.id}" }),
            desired("c", {}, { dependsOn: ["a"] }),
          ],
        },
      ),
    );
    await expect(planning).rejects.toMatchObject({
      code: "WF_ERR_CONFIG_CYCLE",
      message: "dependency cycle: a -> b -> c -> a",
    });
  });

  it("ignores dependencies on undeclared names", async () => {
    const cloud = await fakeCloud();
    const { plan } = await computePlan(
      planInput(
        { cloud },
        { desired: [desired("a", {}, { dependsOn: ["nowhere"] }), desired("b")] },
      ),
    );
    expect(summary(plan)).toEqual(["create a", "create b"]);
  });

  it("orders a 5,000-long dependency chain without overflowing the stack", async () => {
    const cloud = await fakeCloud();
    const names = Array.from({ length: 5000 }, (_, i) => `r${i}`);
    // Declared last-first: each depends on the next one.
    const chain = names.map((n, i) =>
      desired(n, {}, i + 1 < names.length ? { dependsOn: [names[i + 1]!] } : {}),
    );
    const { plan } = await computePlan(planInput({ cloud }, { desired: chain }));
    expect(plan.actions.map((a) => a.resource.name)).toEqual([...names].reverse());
  });
});

describe("computePlan: references and cascades", () => {
  it("resolves references from state (id = provider ID) and keeps unknown ones for apply", async () => {
    const cloud = await fakeCloud();
    const vpc = applied(cloud, "vpc", {});
    const { plan, pendingReferences } = await computePlan(
      planInput(
        { cloud },
        {
          state: [vpc],
          desired: [
            desired("vpc"),
            desired("app", {
              vpc_id: "${vpc.id}",
              url: "${vpc.endpoint}/x",
              cache: "${cache.endpoint}",
            }),
            desired("cache"),
          ],
        },
      ),
    );
    const app = plan.actions.find((a) => a.resource.name === "app");
    expect(app?.resource.config).toEqual({
      vpc_id: vpc.provider_id,
      url: "https://vpc.fake.test/x",
      cache: "${cache.endpoint}",
    });
    expect(pendingReferences).toEqual([{ resource: "app", reference: "${cache.endpoint}" }]);
    expect(plan.schema_version).toBe(2);
  });

  it("is schema_version 1 when every reference resolved", async () => {
    const cloud = await fakeCloud();
    const vpc = applied(cloud, "vpc", {});
    const { plan, pendingReferences } = await computePlan(
      planInput(
        { cloud },
        { state: [vpc], desired: [desired("vpc"), desired("app", { v: "${vpc.id}" })] },
      ),
    );
    expect(pendingReferences).toEqual([]);
    expect(plan.schema_version).toBe(1);
  });

  it("updates an unchanged resource that references one being replaced, keeping the reference for apply", async () => {
    const cloud = await fakeCloud();
    const vpc = applied(cloud, "vpc", { region: "eu" });
    const app = applied(cloud, "app", { vpc_id: vpc.provider_id, tier: 1 });
    const other = applied(cloud, "other", { tier: 1 });
    const { plan, pendingReferences } = await computePlan(
      planInput(
        { cloud },
        {
          state: [vpc, app, other],
          desired: [
            desired("app", { vpc_id: "${vpc.id}", tier: 1 }),
            desired("other", { tier: 1 }),
            desired("vpc", { region: "us" }),
          ],
        },
      ),
    );
    expect(summary(plan)).toEqual(["replace vpc", "update app"]);
    expect(plan.actions[1]).toMatchObject({
      resource: { config: { vpc_id: "${vpc.id}", tier: 1 }, depends_on: ["vpc"] },
      changes: [{ path: "vpc_id", old: vpc.provider_id, new: "${vpc.id}", force_new: false }],
      current: app,
    });
    expect(pendingReferences).toEqual([{ resource: "app", reference: "${vpc.id}" }]);
    expect(plan.schema_version).toBe(2);
  });

  it("adds the waiting reference to the changes of a resource already being updated", async () => {
    const cloud = await fakeCloud();
    const vpc = applied(cloud, "vpc", { region: "eu" });
    const app = applied(cloud, "app", { vpc_id: vpc.provider_id, tier: 1 });
    const { plan } = await computePlan(
      planInput(
        { cloud },
        {
          state: [vpc, app],
          desired: [
            desired("vpc", { region: "us" }),
            desired("app", { vpc_id: "${vpc.id}", tier: 2 }),
          ],
        },
      ),
    );
    expect(plan.actions[1]?.changes).toEqual([
      { path: "tier", old: 1, new: 2, force_new: false },
      { path: "vpc_id", old: vpc.provider_id, new: "${vpc.id}", force_new: false },
    ]);
  });
});
