// The tenant steps in a running app: what a pipeline gets back, and the statuses a
// client sees when the registry refuses.
import { describe, expect, it } from "vitest";
import { errorChain, ValidationError } from "../../src/contracts/index.js";
import { HTTP_SERVER, startTestApp } from "../engine/engine-harness.js";
import { TENANT_REGISTRY_MODULES } from "./tenant-fixtures.js";

const APP = `
modules:${HTTP_SERVER}${TENANT_REGISTRY_MODULES}
pipelines:
  signup:
    trigger: { type: http, config: { method: POST, path: /tenants } }
    steps:
      - name: parse
        type: step.request_parse
        config: { parse_body: true }
      - name: ensure
        type: step.tenant_ensure
        config:
          registry: tenants
          name: "{{ .steps.parse.body.name }}"
          slug: "{{ .steps.parse.body.slug }}"
          domains: "{{ .steps.parse.body.domains }}"
          metadata: { plan: "{{ .steps.parse.body.plan }}" }
      - name: respond
        type: step.json_response
        config: { status: 201, body_from: steps.ensure.tenant }
  get:
    steps:
      - name: found
        type: step.tenant_get
        config: { registry: tenants, domain: "{{ .domain }}" }
  list:
    steps:
      - name: all
        type: step.tenant_list
        config: { registry: tenants, active_only: "{{ .active_only }}", limit: 10 }
  rename:
    steps:
      - name: update
        type: step.tenant_update
        config: { registry: tenants, id: "{{ .id }}", name: "{{ .name }}", domains: [] }
  close:
    steps:
      - name: disable
        type: step.tenant_disable
        config: { registry: tenants, id: "{{ .id }}" }
`;

describe("tenant steps", () => {
  it("ensure, get, list, update and disable through pipelines", async () => {
    const { app, url } = await startTestApp(APP);
    const signup = (body: unknown) =>
      fetch(url("/tenants"), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const created = await signup({
      name: "Acme",
      slug: "acme",
      domains: ["acme.test"],
      plan: "pro",
    });
    expect(created.status).toBe(201);
    const acme = (await created.json()) as { id: string };
    expect(acme).toMatchObject({ slug: "acme", domains: ["acme.test"], metadata: { plan: "pro" } });

    const found = await app.run("get", { domain: "ACME.TEST" });
    expect(found.context.stepOutputs.found).toEqual({ tenant: acme, found: true });
    const missing = await app.run("get", { domain: "none.test" });
    expect(missing.context.stepOutputs.found).toEqual({ tenant: null, found: false });

    const renamed = await app.run("rename", { id: acme.id, name: "Acme Inc" });
    expect(renamed.context.stepOutputs.update?.tenant).toMatchObject({
      name: "Acme Inc",
      domains: [],
    });
    await app.run("close", { id: acme.id });
    const active = await app.run("list", { active_only: true });
    expect(active.context.stepOutputs.all).toEqual({ tenants: [], count: 0 });
    const all = await app.run("list", { active_only: false });
    expect(all.context.stepOutputs.all).toMatchObject({
      count: 1,
      tenants: [{ is_active: false }],
    });
  });

  it("answers 400 with the field for an invalid slug and 409 for a taken domain", async () => {
    const { url } = await startTestApp(APP);
    const signup = async (body: unknown) => {
      const res = await fetch(url("/tenants"), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: await res.json() };
    };
    expect(await signup({ name: "A", slug: "a", domains: ["a.test"] })).toMatchObject({
      status: 201,
    });
    expect(await signup({ name: "B", slug: "Bad_Slug" })).toEqual({
      status: 400,
      body: { error: 'tenant slug "Bad_Slug" must be lower-case', field: "slug" },
    });
    expect(await signup({ name: "B", slug: "b", domains: ["A.test"] })).toEqual({
      status: 409,
      body: { error: 'domain "a.test" already belongs to tenant "a"', field: "domains" },
    });
  });

  it("fails an update or disable of an unknown tenant as 404", async () => {
    const { app } = await startTestApp(APP);
    for (const [pipeline, data] of [
      ["close", { id: "nope" }],
      ["rename", { id: "nope", name: "x" }],
    ] as const) {
      const err = await app.run(pipeline, data).catch((e: unknown) => e);
      // The step's own error, inside the executor's "step … failed" wrapping.
      const invalid = [...errorChain(err)].filter(ValidationError.is).at(-1);
      expect(invalid).toMatchObject({ status: 404, message: 'no tenant with id "nope"' });
    }
  });
});
