// A running app with a tenant registry and resolver, as its clients see it: statuses,
// bodies, `.tenant` in templates, the path prefix taken out before routing, per-tenant
// rows, and the tenant in execution records, metrics and logs.
import { request } from "node:http";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { TenantRegistry } from "../../src/contracts/index.js";
import { App } from "../../src/engine/app.js";
import type { ExecutionStore } from "../../src/engine/execution-store/index.js";
import { builtinSteps } from "../../src/engine/steps/builtin-steps.js";
import type { TenantRegistryModule } from "../../src/tenants/tenant-modules.js";
import { HTTP_SERVER, loadTestConfig, startTestApp } from "../engine/engine-harness.js";
import { recordingLogger } from "../engine/steps/step-harness.js";
import { spawnCli } from "../helpers/run-cli.js";
import { TENANT_REGISTRY_MODULES } from "./tenant-fixtures.js";

function resolver(config: string): string {
  return `
  - name: resolver
    type: tenants.resolver
    config:
      registry: tenants
${config
  .trim()
  .split("\n")
  .map((line) => `      ${line}`)
  .join("\n")}`;
}

const WHOAMI = `
  whoami:
    trigger: { type: http, config: { method: GET, path: /whoami } }
    steps:
      - name: respond
        type: step.json_response
        config:
          body: { slug: "{{ .tenant.slug }}", name: "{{ .tenant.name }}", path: "{{ .trigger.path }}" }`;

function registryOf(app: App): TenantRegistry {
  return (
    app.modules().find((m) => m.type === "tenants.registry") as TenantRegistryModule
  ).registry();
}

/** GET with any headers: fetch drops `host`, node's client sends it as given. */
function get(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      let text = "";
      res.on("data", (chunk: Buffer) => (text += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    })
      .on("error", reject)
      .end();
  });
}

/** An app that requires a tenant, found by Host, with tenant "acme" at acme.test. */
async function acmeByHost() {
  const { app, url } = await startTestApp(`
modules:${HTTP_SERVER}${TENANT_REGISTRY_MODULES}${resolver(`
required: true
selectors: [{ type: host }]`)}
pipelines:${WHOAMI}
`);
  const acme = await registryOf(app).ensure({ name: "Acme", slug: "acme", domains: ["acme.test"] });
  return { app, url, acme };
}

describe("tenant resolution over HTTP", () => {
  it("resolves the Host's tenant into .tenant; unknown and disabled tenants answer 404 when required", async () => {
    const { app, url, acme } = await acmeByHost();
    expect(await get(url("/whoami"), { host: "ACME.test:8080" })).toEqual({
      status: 200,
      body: { slug: "acme", name: "Acme", path: "/whoami" },
    });
    expect(await get(url("/whoami"), { host: "other.test" })).toEqual({
      status: 404,
      body: { error: "tenant not found" },
    });
    // Seen at once by the process that made the change.
    await registryOf(app).disable(acme.id);
    expect((await get(url("/whoami"), { host: "acme.test" })).status).toBe(404);
    // Probes never need a tenant.
    expect((await fetch(url("/livez"))).status).toBe(200);
  });

  it("takes the path prefix out before routing: /t/acme/whoami is served by /whoami", async () => {
    const { app, url } = await startTestApp(`
modules:${HTTP_SERVER}${TENANT_REGISTRY_MODULES}${resolver(`
required: true
selectors: [{ type: path_prefix, prefix: /t }]`)}
pipelines:${WHOAMI}
`);
    await registryOf(app).ensure({ name: "Acme", slug: "acme" });
    expect(await get(url("/t/acme/whoami?x=1"))).toEqual({
      status: 200,
      body: { slug: "acme", name: "Acme", path: "/whoami" },
    });
    expect(await get(url("/t/nobody/whoami"))).toEqual({
      status: 404,
      body: { error: "tenant not found" },
    });
    // Outside the prefix nothing is taken out, and no tenant is found.
    expect((await get(url("/whoami"))).status).toBe(404);
  });

  it("refuses a request whose selectors name different tenants (all_must_match → 403)", async () => {
    const { app, url } = await startTestApp(`
modules:${HTTP_SERVER}${TENANT_REGISTRY_MODULES}${resolver(`
mode: all_must_match
selectors: [{ type: host }, { type: header, name: X-Tenant }]`)}
pipelines:${WHOAMI}
`);
    await registryOf(app).ensure({ name: "Acme", slug: "acme", domains: ["acme.test"] });
    await registryOf(app).ensure({ name: "Beta", slug: "beta", domains: ["beta.test"] });
    expect((await get(url("/whoami"), { host: "acme.test", "x-tenant": "acme" })).body.slug).toBe(
      "acme",
    );
    expect(await get(url("/whoami"), { host: "acme.test", "x-tenant": "beta" })).toEqual({
      status: 403,
      body: { error: "tenant mismatch" },
    });
    // Not required: no tenant at all proceeds without one.
    expect((await get(url("/whoami"), { host: "nobody.test" })).body.slug).toBeNull();
  });

  it("sees another process's disable within 2 s", async () => {
    const { app, url, acme } = await acmeByHost();
    expect((await get(url("/whoami"), { host: "acme.test" })).status).toBe(200);
    const configFile = path.join(app.configDir, "wfctl.yaml");
    const disabled = await spawnCli(["tenants", "disable", acme.id, "-c", configFile]);
    expect(disabled).toMatchObject({ code: 0 });
    const since = Date.now();
    let status = 200;
    while (status === 200 && Date.now() - since < 3_000) {
      status = (await get(url("/whoami"), { host: "acme.test" })).status;
      if (status === 200) await new Promise((r) => setTimeout(r, 50));
    }
    expect(status).toBe(404);
    expect(Date.now() - since).toBeLessThan(2_000);
  });
});

describe("tenant modules that cannot work", () => {
  it("reports every bad reference and selector at once, positioned", async () => {
    const config = await loadTestConfig(`
modules:${TENANT_REGISTRY_MODULES}
  - name: resolver
    type: tenants.resolver
    config:
      registry: db
      selectors:
        - type: jwt_claim
          claim: tenant
        - type: subdomain
          root_domain: "not a domain"
  - name: second
    type: tenants.resolver
    config: { registry: tenants, selectors: [{ type: host }] }
`);
    const diagnostics = await App.check(config, {
      logger: recordingLogger(),
      steps: builtinSteps(),
    });
    expect(diagnostics.map((d) => [d.source?.line, d.message])).toEqual([
      [20, 'module "second": an app has one tenants.resolver; "resolver" is already it'],
      [
        12,
        'module "resolver": registry: module "db" is a database.sqlite, not a tenants.registry (tenants.registry modules: tenants)',
      ],
      [
        14,
        'module "resolver": jwt_claim selector: needs `secret` (HS256/384/512) or `public_key` (PEM) to verify tokens with',
      ],
      [16, 'module "resolver": subdomain selector: root_domain "not a domain" is not a domain'],
    ]);
  });
});

describe("tenant-scoped SQL", () => {
  const NOTES = `
modules:${HTTP_SERVER}${TENANT_REGISTRY_MODULES}${resolver(`
selectors: [{ type: header, name: X-Tenant }]`)}
  - name: store
    type: execution.store
    config: { database: db }
  - name: metrics
    type: metrics.prometheus
pipelines:
  setup:
    steps:
      - name: table
        type: step.db_exec
        config: { database: db, query: "CREATE TABLE IF NOT EXISTS notes (tenant_id TEXT NOT NULL, body TEXT)" }
  add-note:
    trigger: { type: http, config: { method: POST, path: /notes } }
    steps:
      - name: parse
        type: step.request_parse
        config: { parse_body: true }
      - name: insert
        type: step.db_exec
        config:
          database: db
          tenant_scoped: true
          query: "INSERT INTO notes (tenant_id, body) VALUES ($tenant_id, $1)"
          params: ["{{ .steps.parse.body.body }}"]
      - name: log
        type: step.log
        config: { message: "note added" }
  list-notes:
    trigger: { type: http, config: { method: GET, path: /notes } }
    steps:
      - name: parse
        type: step.request_parse
      - name: rows
        type: step.db_query
        config:
          database: db
          tenant_scoped: true
          # A client-chosen filter cannot widen the scope: the tenant is always bound.
          query: "SELECT body FROM notes WHERE tenant_id = $tenant_id OR body = $1 ORDER BY body"
          params: ["{{ .steps.parse.query.also }}"]
      - name: respond
        type: step.json_response
        config: { body_from: steps.rows }
`;

  it("never lets one tenant's request read another's rows", async () => {
    const { app, url, logger } = await startTestApp(NOTES);
    await app.run("setup", {});
    await registryOf(app).ensure({ name: "Acme", slug: "acme" });
    await registryOf(app).ensure({ name: "Beta", slug: "beta" });
    const post = (tenant: string, body: string) =>
      fetch(url("/notes"), {
        method: "POST",
        headers: { "content-type": "application/json", "x-tenant": tenant },
        body: JSON.stringify({ body }),
      });
    expect((await post("acme", "acme-secret")).status).toBe(200);
    expect((await post("beta", "beta-note")).status).toBe(200);
    const beta = await get(url("/notes?also=nothing"), { "x-tenant": "beta" });
    expect(beta.body).toEqual({ rows: [{ body: "beta-note" }], count: 1 });
    const acme = await get(url("/notes?also=nothing"), { "x-tenant": "acme" });
    expect(acme.body).toEqual({ rows: [{ body: "acme-secret" }], count: 1 });
    // Without a tenant a scoped query never runs.
    expect(await get(url("/notes"))).toEqual({ status: 404, body: { error: "tenant not found" } });
    expect((await post("nobody", "x")).status).toBe(404);

    // The tenant is in the execution record, the metrics and the log lines.
    const store = (
      app.modules().find((m) => m.type === "execution.store") as unknown as {
        store(): ExecutionStore;
      }
    ).store();
    await store.flush();
    const acmeTenant = await registryOf(app).getBySlug("acme");
    const recorded = await store.listExecutions({ pipeline: "add-note" });
    expect(recorded.map((e) => e.tenant_id).sort()).toContain(acmeTenant.id);
    const metrics = await (await fetch(url("/metrics"))).text();
    expect(metrics).toContain(
      'workflow_executions_total{workflow_type="pipeline:add-note",action="execute",status="success",tenant="acme"} 1',
    );
    expect(metrics).toContain(
      'http_requests_total{method="POST",path="/notes",status_code="200",tenant="beta"} 1',
    );
    expect(logger.lines.filter((l) => l.msg === "note added").map((l) => l.obj.tenant)).toEqual([
      "acme",
      "beta",
    ]);
  });

  it("refuses to load a scoped query without $tenant_id, and $tenant_id without tenant_scoped", async () => {
    const check = async (config: string) =>
      App.check(await loadTestConfig(config), { logger: recordingLogger(), steps: builtinSteps() });
    const pipeline = (extra: string, query: string) => `
modules:${TENANT_REGISTRY_MODULES}
pipelines:
  p:
    steps:
      - name: q
        type: step.db_query
        config: { database: db, query: "${query}"${extra} }
`;
    const [unscoped] = await check(pipeline(", tenant_scoped: true", "SELECT * FROM notes"));
    expect(unscoped?.message).toMatch(/tenant_scoped is true but config.query has no \$tenant_id/);
    expect(unscoped?.source?.line).toBeGreaterThan(0);
    const [unflagged] = await check(
      pipeline("", "SELECT * FROM notes WHERE tenant_id = $tenant_id"),
    );
    expect(unflagged?.message).toMatch(/set config.tenant_scoped: true/);
    // In a string literal it is text, not a placeholder.
    expect(await check(pipeline("", "SELECT '$tenant_id' AS x"))).toEqual([]);
  });
});
