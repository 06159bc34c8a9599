import { writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { spawnCli, startCli } from "../helpers/run-cli.js";
import { type InfraFixture, infraFixture, stackYaml } from "./infra-fixtures.js";

// Crash safety: kill -9 the CLI at many points of an apply or destroy; the next run
// must converge with nothing orphaned (in the cloud, not in state) or duplicated.

const stack = [
  { name: "vpc", config: { region: "nyc3" } },
  { name: "db", type: "infra.compute", config: { vpc_ref: "${vpc.id}" } },
  { name: "app1", type: "infra.app", config: { db: "${db.id}" } },
  { name: "app2", type: "infra.app", config: { db: "${db.id}" } },
  { name: "cache", type: "infra.compute", config: {} },
  { name: "web", type: "infra.app", config: { upstream: "${app1.endpoint}" } },
];
const names = stack.map((r) => r.name).sort();

async function stateOf(fx: InfraFixture): Promise<{ name: string; provider_id: string }[]> {
  const run = await spawnCli(["infra", "state", "export"], { cwd: fx.dir });
  expect(run.stderr).toBe("");
  return (JSON.parse(run.stdout) as { resources: { name: string; provider_id: string }[] })
    .resources;
}

/** Cloud and state hold exactly `expected`, once each, with matching IDs; a new plan is empty. */
async function expectConverged(fx: InfraFixture, expected: readonly string[]): Promise<void> {
  const cloud = await fx.cloud();
  expect(cloud.map((r) => r.name).sort()).toEqual([...expected].sort());
  const state = await stateOf(fx);
  expect(state.map((r) => r.name).sort()).toEqual([...expected].sort());
  for (const record of state) {
    expect(cloud.find((r) => r.name === record.name)?.id).toBe(record.provider_id);
  }
  const plan = await spawnCli(["infra", "plan", "--detailed-exitcode"], { cwd: fx.dir });
  expect(plan.stdout).toContain("No changes.");
}

async function applyAndExpectKilled(fx: InfraFixture, args: string[]): Promise<void> {
  const run = await spawnCli(args, { cwd: fx.dir });
  expect(run.code).toBe(-1);
}

describe("kill -9 at a crash point of a driver call", () => {
  it.each([
    ["vpc", "after_create"],
    ["db", "after_create"],
    ["app2", "after_create"],
    ["web", "after_create"],
  ])("converges after a crash right after %s's %s", async (resource, point) => {
    const fx = await infraFixture();
    await fx.write(stackYaml(fx, stack, { crash: { resource, point } }));
    await applyAndExpectKilled(fx, ["infra", "apply", "-y"]);
    await fx.write(stackYaml(fx, stack));
    const again = await spawnCli(["infra", "apply", "-y"], { cwd: fx.dir });
    expect(again.code).toBe(0);
    await expectConverged(fx, names);
  });

  it("converges after a crash between the delete and the create of a replace", async () => {
    const fx = await infraFixture();
    await fx.write(stackYaml(fx, stack));
    expect((await spawnCli(["infra", "apply", "-y"], { cwd: fx.dir })).code).toBe(0);
    const moved = stack.map((r) => (r.name === "vpc" ? { ...r, config: { region: "sfo3" } } : r));
    await fx.write(stackYaml(fx, moved, { crash: { resource: "vpc", point: "after_delete" } }));
    await applyAndExpectKilled(fx, ["infra", "apply", "-y"]);
    await fx.write(stackYaml(fx, moved));
    const again = await spawnCli(["infra", "apply", "-y"], { cwd: fx.dir });
    expect(again.code).toBe(0);
    await expectConverged(fx, names);
    const cloud = await fx.cloud();
    expect(cloud.find((r) => r.name === "vpc")?.config.region).toBe("sfo3");
    expect(cloud.find((r) => r.name === "db")?.config.vpc_ref).toBe(
      cloud.find((r) => r.name === "vpc")?.id,
    );
  });
});

describe("kill -9 at arbitrary moments", () => {
  it("converges after kills at many points of an apply and a destroy", async () => {
    const fx = await infraFixture();
    await fx.write(stackYaml(fx, stack, { latency_ms: 120 }));
    for (const delayMs of [700, 900, 1100, 1300, 1500]) {
      const run = startCli(["infra", "apply", "-y"], { cwd: fx.dir });
      await new Promise((r) => setTimeout(r, delayMs));
      run.child.kill("SIGKILL");
      await run.done;
    }
    const finish = await spawnCli(["infra", "apply", "-y"], { cwd: fx.dir });
    expect(finish.code).toBe(0);
    await expectConverged(fx, names);

    for (const delayMs of [800, 1100]) {
      const run = startCli(["infra", "destroy", "-y"], { cwd: fx.dir });
      await new Promise((r) => setTimeout(r, delayMs));
      run.child.kill("SIGKILL");
      await run.done;
    }
    const destroyed = await spawnCli(["infra", "destroy", "-y"], { cwd: fx.dir });
    expect(destroyed.code).toBe(0);
    expect(await fx.cloud()).toEqual([]);
    expect(await stateOf(fx)).toEqual([]);
  });
});

describe("Ctrl-C during apply", () => {
  it("lets in-flight actions finish and be saved, skips the rest, and the next apply completes", async () => {
    const fx = await infraFixture();
    await fx.write(stackYaml(fx, stack, { latency_ms: 400 }));
    const run = startCli(["infra", "apply", "-y"], { cwd: fx.dir });
    await new Promise<void>((resolve) => {
      run.child.stderr?.on("data", (d: Buffer) => {
        if (d.toString().includes("-> [1/")) resolve();
      });
    });
    run.child.kill("SIGINT");
    const interrupted = await run.done;
    expect(interrupted.code).toBe(1);
    expect(interrupted.stderr).toContain("no new actions will start");
    expect(interrupted.stderr).toContain("apply interrupted");
    // Whatever was created is in state.
    const cloud = await fx.cloud();
    expect((await stateOf(fx)).map((r) => r.name).sort()).toEqual(cloud.map((r) => r.name).sort());
    await writeFile(`${fx.dir}/.touch`, "");
    const again = await spawnCli(["infra", "apply", "-y"], { cwd: fx.dir });
    expect(again.code).toBe(0);
    await expectConverged(fx, names);
  });
});
