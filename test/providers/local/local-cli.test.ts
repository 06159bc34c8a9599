import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { LocalProvider } from "../../../src/providers/local/index.js";
import { allocatePort } from "../../../src/providers/local/ports.js";
import { isAlive } from "../../../src/providers/local/supervisor-client.js";
import { spawnCli } from "../../helpers/run-cli.js";
import { tempProject } from "./local-fixtures.js";
import { get } from "./local-harness.js";

// End to end through the real executable (dist/wfctl.mjs: run `npm run build` first).
describe("wfctl infra with the local provider", () => {
  const projects: ReturnType<typeof tempProject>[] = [];
  afterEach(async () => {
    // Whatever a failed run left behind is deleted through the provider itself.
    for (const project of projects.splice(0)) {
      const provider = new LocalProvider();
      await provider.initialize({ _config_dir: project.dir });
      for (const r of await provider.workdir().records()) {
        await provider
          .resourceDriver(r.type)
          .delete({ name: r.name, type: r.type, provider_id: r.id });
      }
      project.dispose();
    }
  });

  it("applies a service and a database, serves on http_port, and destroys both", {
    timeout: 60_000,
  }, async () => {
    const project = tempProject();
    projects.push(project);
    const port = await allocatePort();
    writeFileSync(
      path.join(project.dir, "wfctl.yaml"),
      `modules:
  - name: local
    type: iac.provider
    config: { provider: local }
  - name: app-db
    type: infra.database
    config: { provider: local, engine: sqlite }
  - name: api
    type: infra.container_service
    config:
      provider: local
      depends_on: [app-db]
      source_dir: ./app
      run_command: node server.js
      http_port: ${port}
      instance_count: 2
      env_vars: { DATABASE_URL: "\${app-db.uri}", GREETING: from-cli }
      health_check: { http_path: /healthz, period_seconds: 1 }
`,
    );
    const apply = await spawnCli(["infra", "apply", "-y"], { cwd: project.dir });
    expect(apply.stderr).not.toContain("error");
    expect(apply.code).toBe(0);
    expect(await get(`http://127.0.0.1:${port}/`)).toMatch(/^hello [01] from-cli$/);
    const pidFile = path.join(project.dir, ".wfctl/local/container_service/api/supervisor.pid");
    const supervisor = Number(readFileSync(pidFile, "utf8"));
    expect(isAlive(supervisor)).toBe(true);

    const plan = await spawnCli(["infra", "plan"], { cwd: project.dir });
    expect(plan.stdout).toContain("No changes");

    const destroy = await spawnCli(["infra", "destroy", "-y"], { cwd: project.dir });
    expect(destroy.code).toBe(0);
    expect(await get(`http://127.0.0.1:${port}/`)).toBeUndefined();
    expect(isAlive(supervisor)).toBe(false);
  });
});
