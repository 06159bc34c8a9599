import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { createDefaultRegistry } from "../../src/config-types.js";
import { App } from "../../src/engine/app.js";
import type { ExecutionStore } from "../../src/engine/execution-store/index.js";
import type { EngineModule } from "../../src/engine/modules/engine-module.js";
import { Reloader } from "../../src/engine/reloader.js";
import { builtinSteps } from "../../src/engine/steps/builtin-steps.js";
import { tempDir } from "../helpers/temp-dir.js";
import { TENANT_REGISTRY_MODULES } from "../tenants/tenant-fixtures.js";
import { recordingLogger } from "./steps/step-harness.js";

const config = (version: string, extraModules = "") => `
modules:
  - name: http
    type: http.server
    config: { address: "127.0.0.1:0" }${extraModules}
pipelines:
  version:
    trigger: { type: http, config: { method: GET, path: /version } }
    steps:
      - name: out
        type: step.json_response
        config: { body: { version: "${version}" } }
`;

async function running(yaml: string) {
  const dir = tempDir("wfctl-reload");
  const file = path.join(dir, "wfctl.yaml");
  writeFileSync(file, yaml);
  const load = () => loadConfig(file, { registry: createDefaultRegistry(), environ: {}, cwd: dir });
  const logger = recordingLogger();
  const build = (c: NonNullable<Awaited<ReturnType<typeof load>>["config"]>, previous?: App) =>
    App.build(c, { logger, steps: builtinSteps(), ...(previous ? { previous } : {}) });
  const loaded = await load();
  const app = await build(loaded.config as NonNullable<typeof loaded.config>);
  await app.start();
  const reloader = new Reloader(app, { load, build });
  onTestFinished(() => reloader.app.stop());
  const url = `http://127.0.0.1:${app.httpPort()}/version`;
  return { file, reloader, logger, url };
}

const version = async (url: string) =>
  ((await (await fetch(url)).json()) as { version: string }).version;

describe("reloading a running app", () => {
  it("swaps pipelines on the same listener with no failed request", async () => {
    const { file, reloader, url } = await running(config("1"));
    const port = reloader.app.httpPort();
    let failures = 0;
    let stop = false;
    const load = (async () => {
      const seen = new Set<string>();
      while (!stop) {
        await Promise.all(
          Array.from({ length: 5 }, async () => {
            try {
              seen.add(await version(url));
            } catch {
              failures++;
            }
          }),
        );
      }
      return seen;
    })();
    await new Promise((r) => setTimeout(r, 100));
    writeFileSync(file, config("2"));
    expect(await reloader.reload()).toBe(true);
    await new Promise((r) => setTimeout(r, 100));
    stop = true;
    const seen = await load;
    expect(failures).toBe(0);
    expect([...seen].sort()).toEqual(["1", "2"]);
    expect(await version(url)).toBe("2");
    expect(reloader.app.httpPort()).toBe(port);
    expect(reloader.app.keptModules().size).toBe(1);
  });

  it("refuses a config that does not load or build, and keeps serving the old one", async () => {
    const { file, reloader, url, logger } = await running(config("1"));
    writeFileSync(file, "modules: [ {name: x, type: nope} ]\n");
    expect(await reloader.reload()).toBe(false);
    writeFileSync(file, config("{{ .nope | nosuchfn }}"));
    expect(await reloader.reload()).toBe(false);
    expect(await version(url)).toBe("1");
    expect(logger.lines.filter((l) => l.msg?.startsWith("config change refused"))).toHaveLength(2);
  });

  it("starts added modules and stops removed ones", async () => {
    const bus = "\n  - name: bus\n    type: eventbus.memory";
    const { file, reloader } = await running(config("1"));
    writeFileSync(file, config("2", bus));
    expect(await reloader.reload()).toBe(true);
    expect(reloader.app.modules().map((m) => m.name)).toEqual(["http", "bus"]);
    writeFileSync(file, config("3"));
    expect(await reloader.reload()).toBe(true);
    expect(reloader.app.modules().map((m) => m.name)).toEqual(["http"]);
  });

  it("reconfigures a running execution store in place when only its settings change", async () => {
    const store = (record: string) => `
  - name: db
    type: database.sqlite
    config: { path: executions.db }
  - name: executions
    type: execution.store
    config: { database: db, record: ${record} }`;
    const { file, reloader, url } = await running(config("1", store("all")));
    const running1 = reloader.app.modules().find((m) => m.name === "executions");
    writeFileSync(file, config("2", store("failed")));
    expect(await reloader.reload()).toBe(true);
    // The same store and database, kept running: only the record mode changed.
    expect(reloader.app.modules().find((m) => m.name === "executions")).toBe(running1);
    expect(reloader.app.keptModules().size).toBe(3);
    expect(await (await fetch(url)).json()).toEqual({ version: "2" });
    const executions = reloader.app.module<EngineModule & { store(): ExecutionStore }>(
      "executions",
      ["execution.store"],
      "test",
    );
    await executions.store().flush();
    // Completed executions are no longer recorded.
    expect(await executions.store().listExecutions()).toEqual([]);
  });

  it("restarts the server when a metrics module is added, so its requests are counted", async () => {
    const metrics = "\n  - name: metrics\n    type: metrics.prometheus";
    const { file, reloader } = await running(config("1"));
    writeFileSync(file, config("2", metrics));
    expect(await reloader.reload()).toBe(true);
    expect(reloader.app.keptModules().size).toBe(0);
    const base = `http://127.0.0.1:${reloader.app.httpPort()}`;
    expect(await (await fetch(`${base}/version`)).json()).toEqual({ version: "2" });
    const scraped = await (await fetch(`${base}/metrics`)).text();
    expect(scraped).toMatch(/http_requests_total\{[^}]*path="\/version"[^}]*\} 1/);
  });

  it("applies a changed tenants.resolver without restarting the server, keeping the registry", async () => {
    const tenants = (required: boolean) => `${TENANT_REGISTRY_MODULES}
  - name: resolver
    type: tenants.resolver
    config: { registry: tenants, required: ${required}, selectors: [{ type: header, name: X-Tenant }] }`;
    const { file, reloader, url } = await running(config("1", tenants(true)));
    const registry = reloader.app.modules().find((m) => m.name === "tenants");
    expect((await fetch(url)).status).toBe(404);
    writeFileSync(file, config("1", tenants(false)));
    expect(await reloader.reload()).toBe(true);
    expect(reloader.app.modules().find((m) => m.name === "tenants")).toBe(registry);
    expect((await fetch(url)).status).toBe(200);
  });
});
