import { stat } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { postgresForSuite } from "../helpers/postgres.js";
import { spawnCli } from "../helpers/run-cli.js";
import { infraFixture, stackYaml } from "./infra-fixtures.js";

// The same stack applied through each state backend an `iac.state` module can name.

const resources = [
  { name: "vpc", config: { region: "nyc3" } },
  { name: "app", type: "infra.app", config: { vpc_ref: "${vpc.id}" } },
];

function withState(yaml: string, state: Record<string, unknown>): string {
  return `${yaml}  - name: state\n    type: iac.state\n    config: ${JSON.stringify(state)}\n`;
}

async function applyAndReplan(dir: string): Promise<void> {
  const apply = await spawnCli(["infra", "apply", "-y"], { cwd: dir });
  expect(apply.stderr).toContain("Apply complete: 2 succeeded");
  expect(apply.code).toBe(0);
  const plan = await spawnCli(["infra", "plan", "--detailed-exitcode"], { cwd: dir });
  expect(plan.stdout).toContain("No changes.");
  expect(plan.code).toBe(0);
  const list = await spawnCli(["infra", "state", "list", "--json"], { cwd: dir });
  expect((JSON.parse(list.stdout) as { name: string }[]).map((r) => r.name)).toEqual([
    "app",
    "vpc",
  ]);
}

describe("state backends through the CLI", () => {
  const pg = postgresForSuite();

  it("keeps state in a SQLite file (mode 0600)", async () => {
    const fx = await infraFixture();
    await fx.write(withState(stackYaml(fx, resources), { backend: "sqlite", path: "state.db" }));
    await applyAndReplan(fx.dir);
    expect((await stat(path.join(fx.dir, "state.db"))).mode & 0o777).toBe(0o600);
  });

  it("keeps state in PostgreSQL, with the DSN taken from the environment", async () => {
    const fx = await infraFixture();
    const dsn = await pg.createDatabase("wfctl_cli_state");
    await fx.write(
      withState(stackYaml(fx, resources), { backend: "postgres", dsn: "${STATE_DSN}" }),
    );
    const env = { STATE_DSN: dsn };
    const apply = await spawnCli(["infra", "apply", "-y"], { cwd: fx.dir, env });
    expect(apply.code).toBe(0);
    const plan = await spawnCli(["infra", "plan", "--detailed-exitcode"], { cwd: fx.dir, env });
    expect(plan.stdout).toContain("No changes.");
    const list = await spawnCli(["infra", "state", "list"], { cwd: fx.dir, env });
    expect(list.stdout).toMatch(/^vpc\s+infra\.vpc\s+cloud\s+/m);
  });

  it("keeps state on the filesystem by default, in files only the owner can read", async () => {
    const fx = await infraFixture();
    await fx.write(stackYaml(fx, resources));
    await applyAndReplan(fx.dir);
    const dir = path.join(fx.dir, ".wfctl/state");
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect((await stat(path.join(dir, "journal.jsonl"))).mode & 0o777).toBe(0o600);
  });
});
