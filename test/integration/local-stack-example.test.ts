import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LocalProvider } from "../../src/providers/local/index.js";
import { allocatePort } from "../../src/providers/local/ports.js";
import { postgresBinaries } from "../../src/providers/local/postgres-binaries.js";
import { isAlive } from "../../src/providers/local/supervisor-client.js";
import { repoRoot, spawnCli } from "../helpers/run-cli.js";

const hasPostgres = await postgresBinaries().then(
  () => true,
  () => false,
);

// The README's main command, on a copy of examples/local-stack (its own ports and
// workdir), through the real executable.
describe.skipIf(!hasPostgres)("examples/local-stack through wfctl infra apply", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "wfctl-local-stack-"));
  // As root, PostgreSQL runs as an unprivileged user, who must be able to enter it.
  chmodSync(dir, 0o711);
  cpSync(path.join(repoRoot, "examples/local-stack"), dir, {
    recursive: true,
    filter: (src) => !src.includes(`${path.sep}.wfctl`),
  });
  // The example's programs import pg: give the copy the repository's packages.
  symlinkSync(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"));
  const config = path.join(dir, "wfctl.yaml");

  afterAll(async () => {
    const provider = new LocalProvider();
    await provider.initialize({ _config_dir: dir, workdir: ".wfctl/local", delete_data: true });
    for (const r of await provider.workdir().records()) {
      await provider
        .resourceDriver(r.type)
        .delete({ name: r.name, type: r.type, provider_id: r.id });
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it("brings up PostgreSQL, the migrated API with its worker, and the site; destroy stops it all", {
    timeout: 120_000,
  }, async () => {
    const env = { API_PORT: String(await allocatePort()), SITE_PORT: String(await allocatePort()) };
    const apply = await spawnCli(["infra", "apply", "-y", "-c", config], { env });
    expect(apply.stderr).not.toMatch(/error|✗/i);
    expect(apply.code).toBe(0);

    const api = `http://127.0.0.1:${env.API_PORT}`;
    // The PRE_DEPLOY job made the table; the replicas read and write it.
    const created = await fetch(`${api}/orders`, { method: "POST", body: '{"item":"tea"}' });
    expect(created.status).toBe(201);
    const listed = (await (await fetch(`${api}/orders`)).json()) as { orders: unknown[] };
    expect(listed.orders).toEqual([{ id: 1, item: "tea" }]);
    const apiStatus = JSON.parse(
      readFileSync(path.join(dir, ".wfctl/local/container_service/api/status.json"), "utf8"),
    ) as { groups: { name: string; replicas: { pid?: number }[] }[] };
    const reporter = apiStatus.groups.find((g) => g.name === "reporter");
    expect(reporter?.replicas.filter((r) => r.pid !== undefined && isAlive(r.pid))).toHaveLength(1);
    const site = await fetch(`http://127.0.0.1:${env.SITE_PORT}/`);
    expect(await site.text()).toContain("Served by wfctl's local provider");

    const status = await spawnCli(["infra", "status", "--json", "-c", config], { env });
    expect(status.code).toBe(0);
    const resources = JSON.parse(status.stdout) as { name: string; status: string }[];
    expect(Object.fromEntries(resources.map((r) => [r.name, r.status]))).toEqual({
      "app-db": "running",
      api: "running",
      site: "running",
    });
    expect(status.stdout).not.toMatch(/postgres:\/\/[^"]*:[^"*]+@/);

    const supervisorPid = (type: string, name: string) =>
      Number(readFileSync(path.join(dir, ".wfctl/local", type, name, "supervisor.pid"), "utf8"));
    const pids = [
      supervisorPid("database", "app-db"),
      supervisorPid("container_service", "api"),
      supervisorPid("static_site", "site"),
    ];
    const destroy = await spawnCli(["infra", "destroy", "-y", "--delete-data", "-c", config], {
      env,
    });
    expect(destroy.code).toBe(0);
    expect(pids.filter(isAlive)).toEqual([]);
    expect(await fetch(`${api}/orders`).catch(() => "refused")).toBe("refused");
  });
});
