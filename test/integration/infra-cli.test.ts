import { stat } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { spawnCli, startCli } from "../helpers/run-cli.js";
import { infraFixture, stackYaml } from "./infra-fixtures.js";

// `wfctl infra` end to end through the real executable, against the fake-cloud test
// double (a provider module persisted to cloud.json, so every process sees one cloud).

const vpcAndApp = [
  { name: "vpc", config: { region: "nyc3" } },
  { name: "app", type: "infra.app", config: { vpc_ref: "${vpc.id}", depends_on: ["vpc"] } },
];

async function stateNames(dir: string): Promise<string[]> {
  const run = await spawnCli(["infra", "state", "export"], { cwd: dir });
  expect(run.code).toBe(0);
  const doc = JSON.parse(run.stdout) as { resources: { name: string; provider_id: string }[] };
  return doc.resources.map((r) => r.name).sort();
}

describe("wfctl infra plan and apply", () => {
  it("creates resources in dependency order, then plans no changes", async () => {
    const fx = await infraFixture();
    await fx.write(stackYaml(fx, vpcAndApp));

    const plan = await spawnCli(["infra", "plan", "--detailed-exitcode"], { cwd: fx.dir });
    expect(plan.code).toBe(2);
    expect(plan.stdout).toMatch(
      /\+ create\s+vpc\s+\(infra\.vpc\)\n\s+\+ create\s+app\s+\(infra\.app\)/,
    );
    expect(plan.stdout).toContain("Plan: 2 to create, 0 to update, 0 to replace, 0 to destroy.");

    const apply = await spawnCli(["infra", "apply", "-y"], { cwd: fx.dir });
    expect(apply.stderr).toContain("Apply complete: 2 succeeded");
    expect(apply.stdout).toMatch(
      /^RESOURCE\s+TYPE\s+ACTION\s+STATUS\nvpc\s+infra\.vpc\s+create\s+success\napp\s+infra\.app\s+create\s+success$/m,
    );
    expect(apply.code).toBe(0);
    const cloud = await fx.cloud();
    const vpc = cloud.find((r) => r.name === "vpc");
    expect(cloud.find((r) => r.name === "app")?.config.vpc_ref).toBe(vpc?.id);

    const again = await spawnCli(["infra", "plan", "--detailed-exitcode"], { cwd: fx.dir });
    expect(again.stdout).toBe("No changes. Infrastructure is up-to-date.\n");
    expect(again.code).toBe(0);
    expect(await stateNames(fx.dir)).toEqual(["app", "vpc"]);
  });

  it("refuses to apply without -y when there is no terminal, changing nothing", async () => {
    const fx = await infraFixture();
    await fx.write(stackYaml(fx, vpcAndApp));
    const run = await spawnCli(["infra", "apply"], { cwd: fx.dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("stdin is not a terminal; re-run with -y");
    expect(await fx.cloud()).toEqual([]);
  });

  it("prints the ApplyResult as JSON with seed names, masking sensitive outputs", async () => {
    const fx = await infraFixture();
    await fx.write(stackYaml(fx, vpcAndApp.slice(0, 1)));
    const run = await spawnCli(["infra", "apply", "-y", "--json"], { cwd: fx.dir });
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as {
      plan_id: string;
      actions: { action_index: number; status: string }[];
      resources: { name: string; provider_id: string; outputs: Record<string, unknown> }[];
    };
    expect(result.plan_id).toMatch(/^plan-/);
    expect(result.actions).toEqual([{ action_index: 0, status: "success" }]);
    expect(result.resources[0]?.outputs.password).toBe("(sensitive)");
    expect(run.stdout).not.toMatch(/pw-[0-9a-f]{8}/);
  });

  it("skips only the dependents of a failed action, and exits 1", async () => {
    const fx = await infraFixture();
    await fx.write(
      stackYaml(fx, [...vpcAndApp, { name: "other", type: "infra.compute" }], {
        fail_on: { vpc: ["create"] },
      }),
    );
    const run = await spawnCli(["infra", "apply", "-y"], { cwd: fx.dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/✗ create vpc \(infra\.vpc\): .*injected create failure/);
    expect(run.stderr).toContain(
      'skipped create app (infra.app): skipped: dependency "vpc" failed',
    );
    expect((await fx.cloud()).map((r) => r.name)).toEqual(["other"]);
    expect(await stateNames(fx.dir)).toEqual(["other"]);
  });

  it("destroys everything, dependents first", async () => {
    const fx = await infraFixture();
    await fx.write(stackYaml(fx, vpcAndApp));
    expect((await spawnCli(["infra", "apply", "-y"], { cwd: fx.dir })).code).toBe(0);
    const run = await spawnCli(["infra", "destroy", "-y"], { cwd: fx.dir });
    expect(run.code).toBe(0);
    expect(run.stdout.indexOf("- delete   app")).toBeLessThan(run.stdout.indexOf("- delete   vpc"));
    expect(await fx.cloud()).toEqual([]);
    expect(await stateNames(fx.dir)).toEqual([]);
  });
});

describe("saved plans", () => {
  it("writes a 0600 plan file and refuses it once the config changed", async () => {
    const fx = await infraFixture();
    await fx.write(stackYaml(fx, vpcAndApp));
    const plan = await spawnCli(["infra", "plan", "-o", "plan.json"], { cwd: fx.dir });
    expect(plan.code).toBe(0);
    expect((await stat(path.join(fx.dir, "plan.json"))).mode & 0o777).toBe(0o600);

    await fx.write(stackYaml(fx, [{ name: "vpc", config: { region: "sfo3" } }, vpcAndApp[1]!]));
    const stale = await spawnCli(["infra", "apply", "--plan", "plan.json", "-y"], { cwd: fx.dir });
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain("plan stale: config hash mismatch");
    expect(await fx.cloud()).toEqual([]);

    await fx.write(stackYaml(fx, vpcAndApp));
    const ok = await spawnCli(["infra", "apply", "--plan", "plan.json", "-y"], { cwd: fx.dir });
    expect(ok.code).toBe(0);
    expect((await fx.cloud()).length).toBe(2);
  });
});

describe("protected resources", () => {
  it("lists every protected resource a plan would replace, and proceeds only when allowed", async () => {
    const fx = await infraFixture();
    await fx.write(stackYaml(fx, [{ name: "db", config: { region: "nyc3" }, protected: true }]));
    expect((await spawnCli(["infra", "apply", "-y"], { cwd: fx.dir })).code).toBe(0);
    await fx.write(stackYaml(fx, [{ name: "db", config: { region: "sfo3" }, protected: true }]));
    const blocked = await spawnCli(["infra", "apply", "-y"], { cwd: fx.dir });
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toContain("db (replace)");
    expect(blocked.stderr).toContain("--allow-replace=db");
    expect((await fx.cloud())[0]?.config.region).toBe("nyc3");
    const allowed = await spawnCli(["infra", "apply", "-y", "--allow-replace", "db"], {
      cwd: fx.dir,
    });
    expect(allowed.code).toBe(0);
    expect((await fx.cloud()).map((r) => r.config.region)).toEqual(["sfo3"]);
  });
});

describe("drift", () => {
  it("reports a ghost with exit 2, and apply --refresh recreates it", async () => {
    const fx = await infraFixture();
    await fx.write(stackYaml(fx, vpcAndApp.slice(0, 1)));
    expect((await spawnCli(["infra", "apply", "-y"], { cwd: fx.dir })).code).toBe(0);
    expect((await spawnCli(["infra", "drift"], { cwd: fx.dir })).stdout).toMatch(/^IN-SYNC\s+vpc/m);

    const { writeFile } = await import("node:fs/promises");
    await writeFile(fx.cloudFile, "[]");
    const drift = await spawnCli(["infra", "drift"], { cwd: fx.dir });
    expect(drift.code).toBe(2);
    expect(drift.stdout).toMatch(/^GHOST\s+vpc \(infra\.vpc\)/m);

    const refresh = await spawnCli(["infra", "apply", "-y", "--refresh"], { cwd: fx.dir });
    expect(refresh.code).toBe(0);
    expect(refresh.stderr).toContain("pruned ghost vpc");
    expect((await fx.cloud()).map((r) => r.name)).toEqual(["vpc"]);
  });
});

describe("the state lock", () => {
  it("makes a second apply exit 3 naming the holder, or wait with --lock-timeout", async () => {
    const fx = await infraFixture();
    await fx.write(stackYaml(fx, vpcAndApp, { latency_ms: 1500 }));
    const first = startCli(["infra", "apply", "-y"], { cwd: fx.dir });
    // Wait until the first run holds the lock (it prints its first action).
    await new Promise<void>((resolve) => {
      first.child.stderr?.on("data", (d: Buffer) => {
        if (d.toString().includes("-> [1/2]")) resolve();
      });
    });
    const second = await spawnCli(["infra", "apply", "-y"], { cwd: fx.dir });
    expect(second.code).toBe(3);
    expect(second.stderr).toMatch(/is locked by .+@.+ \(pid \d+, `wfctl infra apply`\)/);
    const waiting = await spawnCli(["infra", "plan", "--lock-timeout", "30s"], { cwd: fx.dir });
    expect((await first.done).code).toBe(0);
    expect(waiting.code).toBe(0);
    expect(waiting.stdout).toContain("No changes.");
  });
});

describe("apply --wait", () => {
  it("waits for health and prints the Troubleshooter's findings when a resource stays unhealthy", async () => {
    const fx = await infraFixture();
    await fx.write(
      stackYaml(fx, [{ name: "vpc" }, { name: "api", type: "infra.app" }], {
        unhealthy: ["api"],
        capabilities: ["troubleshooter"],
      }),
    );
    const run = await spawnCli(["infra", "apply", "-y", "--wait", "--wait-timeout", "1s"], {
      cwd: fx.dir,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("✓ vpc healthy");
    expect(run.stderr).toContain("✗ api: timed out waiting for healthy; last status: starting");
    expect(run.stderr).toMatch(/ERROR deploy-api: fakecloud saw: timed out waiting for healthy/);
    expect(run.stderr).toContain("1 resource(s) did not become healthy: api");
  });
});

describe("cleanup", () => {
  it("prints a skip line for a provider without an Enumerator", async () => {
    const fx = await infraFixture();
    await fx.write(stackYaml(fx, []));
    const run = await spawnCli(["infra", "cleanup", "--tag", "ci"], { cwd: fx.dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("skipped cloud: provider does not implement Enumerator\n");
  });
});
