import { describe, expect, it } from "vitest";
import { HTTP_SERVER, startTestApp } from "./engine-harness.js";

const app = (pipelines: string, modules = HTTP_SERVER) =>
  `modules:${modules}\npipelines:\n${pipelines}`;

describe("an app's HTTP pipelines", () => {
  it("routes path parameters into the pipeline and answers with its JSON response and a request id", async () => {
    const { url } = await startTestApp(
      app(`
  hello:
    trigger: { type: http, config: { method: GET, path: "/hello/{name}" } }
    steps:
      - name: parse
        type: step.request_parse
        config: { path_params: [name], query_params: [lang] }
      - name: respond
        type: step.json_response
        config:
          status: 201
          headers: { x-lang: "{{ .steps.parse.query.lang }}" }
          body: { greeting: "Hello, {{ .steps.parse.path_params.name | title }}!", raw: { _from: steps.parse.query } }
`),
    );
    const res = await fetch(url("/hello/ada?lang=en"), { headers: { "x-request-id": "req-1" } });
    expect(res.status).toBe(201);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(res.headers.get("x-lang")).toBe("en");
    expect(res.headers.get("x-request-id")).toBe("req-1");
    expect(await res.json()).toEqual({ greeting: "Hello, Ada!", raw: { lang: "en" } });
    const generated = await fetch(url("/hello/bob"));
    expect(generated.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("answers 404 for no route, 405 with Allow for a wrong method, 400 for malformed JSON, 413 past body_limit", async () => {
    const { url } = await startTestApp(
      app(
        `
  echo:
    trigger: { type: http, config: { method: POST, path: /echo } }
    steps:
      - name: out
        type: step.pipeline_output
        config: { source: trigger.body }
`,
        `
  - name: http
    type: http.server
    config: { address: "127.0.0.1:0", body_limit: 64 }
`,
      ),
    );
    const post = (body: string, type = "application/json") =>
      fetch(url("/echo"), { method: "POST", body, headers: { "content-type": type } });
    expect(await (await post('{"a":1}')).json()).toEqual({ a: 1 });
    const missing = await fetch(url("/nope"));
    expect([missing.status, await missing.json()]).toEqual([404, { error: "not found" }]);
    const wrong = await fetch(url("/echo"));
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("POST");
    const malformed = await post("{nope");
    expect([malformed.status, await malformed.json()]).toEqual([
      400,
      { error: "malformed JSON body" },
    ]);
    const big = await post(JSON.stringify({ text: "x".repeat(200) }));
    expect(big.status).toBe(413);
    // Every answer, the server's own refusals included, carries a request id.
    for (const refused of [missing, wrong, malformed, big]) {
      expect(refused.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    }
    const form = await post("a=1&b=two", "application/x-www-form-urlencoded");
    expect(await form.json()).toEqual({ a: "1", b: "two" });
  });

  it("keeps the exact body text as raw_body, answers HEAD from the GET route, takes a form's first values", async () => {
    const { url } = await startTestApp(
      app(`
  hook:
    trigger: { type: http, config: { method: POST, path: /hook, raw_body: true } }
    steps:
      - name: out
        type: step.pipeline_output
        config: { values: { raw: "{{ .raw_body }}", body: "{{ .body }}", q: "{{ .query.a }}" } }
  page:
    trigger: { type: http, config: { method: GET, path: /page } }
    steps:
      - name: out
        type: step.raw_response
        config: { body: "hello" }
`),
    );
    const text = '{ "b": 1,\n  "a": [1, 2] }';
    const hook = await fetch(url("/hook?a=1&a=2"), {
      method: "POST",
      body: text,
      headers: { "content-type": "application/json" },
    });
    expect(await hook.json()).toEqual({ raw: text, body: { b: 1, a: [1, 2] }, q: "1" });
    const form = await fetch(url("/hook"), {
      method: "POST",
      body: "x=1&x=2",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(await form.json()).toMatchObject({ raw: "x=1&x=2", body: { x: "1" } });
    const head = await fetch(url("/page"), { method: "HEAD" });
    expect([head.status, await head.text()]).toEqual([200, ""]);
  });

  it("answers a validation error with its status and field, anything else with 500 and only an execution id", async () => {
    const { url, logger } = await startTestApp(
      app(`
  strict:
    trigger: { type: http, config: { method: GET, path: /strict } }
    steps:
      - name: fail
        type: step.conditional
        config: { field: trigger.query.kind, routes: { a: done } }
        error_status: 422
      - name: done
        type: step.set
        config: { values: { ok: true } }
  broken:
    trigger: { type: http, config: { method: GET, path: /broken } }
    steps:
      - name: call
        type: step.workflow_call
        config: { workflow: missing }
`),
    );
    const invalid = await fetch(url("/strict?kind=b"));
    expect(invalid.status).toBe(422);
    expect(((await invalid.json()) as { error: string }).error).toContain('no route for "b"');
    const ok = await fetch(url("/strict?kind=a"));
    // No response step: 200 with the pipeline's current data as JSON.
    expect(await ok.json()).toMatchObject({ ok: true, matched_value: "a", method: "GET" });
    const broken = await fetch(url("/broken"));
    expect(broken.status).toBe(500);
    const body = (await broken.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(["error", "execution_id"]);
    expect(body.error).toBe("internal error");
    expect(
      logger.lines.some(
        (l) => l.msg === "pipeline failed" && l.obj.execution_id === body.execution_id,
      ),
    ).toBe(true);
  });

  it("answers 504 when the pipeline runs past its timeout", async () => {
    const { url } = await startTestApp(
      app(`
  slow:
    trigger: { type: http, config: { method: GET, path: /slow } }
    timeout: 50ms
    steps:
      - name: wait
        type: step.retry_with_backoff
        config:
          initial_delay: 1s
          step: { type: step.workflow_call, config: { workflow: nowhere } }
`),
    );
    const res = await fetch(url("/slow"));
    expect(res.status).toBe(504);
    expect(await res.json()).toMatchObject({ error: "timeout" });
  });

  it("serves health, readiness, liveness and an OpenAPI document of its routes", async () => {
    const { url } = await startTestApp(
      app(`
  get-order:
    trigger: { type: http, config: { method: GET, path: "/orders/{id}" } }
    steps:
      - name: s
        type: step.set
        config: { values: { ok: true } }
`),
    );
    const live = await fetch(url("/livez"), { headers: { "x-request-id": "probe-1" } });
    expect([await live.json(), live.headers.get("x-request-id")]).toEqual([
      { status: "alive" },
      "probe-1",
    ]);
    expect(await (await fetch(url("/readyz"))).json()).toEqual({ status: "ready" });
    const health = await (await fetch(url("/healthz"))).json();
    expect(health).toMatchObject({ status: "healthy", checks: { http: { status: "healthy" } } });
    const doc = (await (await fetch(url("/openapi.json"))).json()) as unknown as {
      paths: Record<string, Record<string, { parameters: unknown[] }>>;
    };
    expect(doc.paths["/orders/{id}"]?.get?.parameters).toEqual([
      { name: "id", in: "path", required: true, schema: { type: "string" } },
    ]);
  });

  it("finishes an in-flight request when stopped, then refuses new connections", async () => {
    const { app: running, url } = await startTestApp(
      app(`
  slow:
    trigger: { type: http, config: { method: GET, path: /slow } }
    steps:
      - name: wait
        type: step.retry_with_backoff
        config:
          max_retries: 1
          initial_delay: 300ms
          step: { type: step.workflow_call, config: { workflow: nowhere } }
        on_error: continue
      - name: done
        type: step.json_response
        config: { body: { finished: true } }
`),
    );
    const inflight = fetch(url("/slow"));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const stopping = running.stop();
    const res = await inflight;
    expect(await res.json()).toEqual({ finished: true });
    // Its connection closes with the answer, so the drain need not wait for it.
    expect(res.headers.get("connection")).toBe("close");
    await stopping;
    await expect(fetch(url("/slow"))).rejects.toThrow();
  });
});
