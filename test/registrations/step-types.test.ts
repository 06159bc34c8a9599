import { describe, it } from "vitest";
import { createDefaultRegistry } from "../../src/config-types.js";
import { checkerFor } from "./support.js";

// Step types come from the engine and the tenants subsystem; their order is checked in default-registry.test.ts.
const check = (type: string) => checkerFor(createDefaultRegistry().list("step"), type);

/** `config` plus a `then` key (written as a literal, it trips biome's thenable lint). */
const withThen = (config: Record<string, unknown>, then: string) => ({ ...config, then });

describe("step types", () => {
  it("step.set and step.log", () => {
    const set = check("step.set");
    set.valid({ values: { status: "pending", created_at: "{{ now }}" } });
    set.invalid({}, "values");
    set.invalid({ value: { a: 1 } }, "value");

    const log = check("step.log");
    log.valid({ level: "warn", message: "order {{ .steps.parse.body.id }}" });
    log.valid({ message: "hello" });
    log.invalid({ level: "fatal", message: "x" }, "level");
    log.invalid({ level: "info" }, "message");
  });

  it("step.validate: schema or required fields", () => {
    const validate = check("step.validate");
    validate.valid({
      schema: { type: "object", required: ["amount"] },
      source: "steps.parse.body",
    });
    validate.valid({ strategy: "required_fields", required_fields: ["user_id", "amount"] });
    validate.valid({ strategy: "json_schema", schema: { type: "object" } });
    validate.invalid({ source: "steps.parse.body" });
    validate.invalid({ strategy: "json_schema", required_fields: ["a"] }, "schema");
    validate.invalid({ strategy: "required_fields", schema: {} }, "required_fields");
    validate.invalid({ strategy: "xml", schema: {} }, "strategy");
    validate.invalid({ schema: "not an object" }, "schema");
  });

  it("step.request_parse", () => {
    const parse = check("step.request_parse");
    parse.valid({ parse_body: true, path_params: ["id"] });
    parse.valid({ query_params: ["page"], parse_headers: ["X-Trace"], format: "form" });
    parse.invalid({ parse_body: "yes" }, "parse_body");
    parse.invalid({ path_param: ["id"] }, "path_param");
    // upstream's example key `fields` has no effect there either: reported, not ignored
    parse.invalid({ fields: ["user_id"] }, "fields");
  });

  it("step.json_response and step.raw_response", () => {
    const json = check("step.json_response");
    json.valid({ status: 201, body: { message: "Order created" } });
    json.valid({ status: 200 });
    json.valid({ status: "{{ .steps.check.code }}", headers: { "X-Id": "{{ .id }}" } });
    json.valid({ status_from: "steps.check.code", body_from: "steps.fetch.rows" });
    json.valid({ body: { rows: { _from: "steps.fetch.rows" } } });
    json.invalid({ status: 99 }, "status");
    json.invalid({ status: 600 }, "status");
    json.invalid({ status: "created" }, "status");
    json.invalid({ body: {}, body_from: "steps.x" }, "body");
    json.invalid({ stauts: 200 }, "stauts");

    const raw = check("step.raw_response");
    raw.valid({ status: 200, content_type: "text/html", body: "<h1>{{ .name }}</h1>" });
    raw.invalid({ body: { a: 1 } }, "body");
  });

  it("step.conditional: field/routes/default or if/then/else", () => {
    const conditional = check("step.conditional");
    conditional.valid({
      field: "steps.parse.body.kind",
      routes: { card: "charge-card", invoice: "send-invoice" },
      default: "reject",
    });
    conditional.valid(withThen({ if: "{{ gt .total 100 }}", else: "approve" }, "review"));
    conditional.valid(withThen({ if: "{{ .flag }}" }, "review"));
    conditional.invalid({ field: "kind" }, "routes");
    conditional.invalid({ routes: { a: "b" } }, "field");
    conditional.invalid({ field: "kind", routes: {} }, "routes");
    conditional.invalid({ if: "{{ .x }}" }, "then");
    conditional.invalid(withThen({ if: "{{ .x }}", routes: { a: "b" } }, "a"), "routes");
    conditional.invalid(withThen({ field: "k", routes: { a: "b" } }, "c"), "then");
    conditional.invalid({ field: "k", routes: { a: 1 } });
  });

  it("step.http_call", () => {
    const call = check("step.http_call");
    call.valid({
      url: "https://api.example.com/orders/{{ .id }}",
      method: "POST",
      headers: { Authorization: "Bearer {{ .token }}" },
      body: { id: "{{ .id }}" },
      timeout: "5s",
      error_on_status: false,
    });
    call.valid({
      url: "http://x",
      body_from: "steps.build.payload",
      error_on_status: "{{ .strict }}",
    });
    call.invalid({ method: "GET" }, "url");
    call.invalid({ url: "http://x", method: "FETCH" }, "method");
    call.invalid({ url: "http://x", timeout: "5 seconds" }, "timeout");
    call.invalid({ url: "http://x", timeout: 5 }, "timeout");
    call.invalid({ url: "http://x", body: {}, body_from: "a" }, "body");
    call.invalid({ url: "http://x", error_on_status: "no" }, "error_on_status");
  });

  it("step.db_query and step.db_exec, with upstream aliases", () => {
    const query = check("step.db_query");
    query.valid({
      database: "main-db",
      query: "SELECT * FROM orders WHERE id = $1",
      params: ["{{ .steps.parse.path_params.id }}"],
      mode: "single",
    });
    query.valid({ module: "main-db", query: "SELECT 1", args: [1, true, null], mode: "many" });
    query.invalid({ query: "SELECT 1" }, "database");
    query.invalid({ database: "db" }, "query");
    query.invalid({ database: "db", module: "db", query: "SELECT 1" }, "module");
    query.invalid({ database: "db", query: "SELECT 1", params: [], args: [] }, "args");
    query.invalid({ database: "db", query: "SELECT 1", mode: "first" }, "mode");
    query.invalid({ database: "db", query: "SELECT * FROM t WHERE id = {{ .id }}" }, "query");
    query.invalid({ database: "db", query: "SELECT 1", params: [{ a: 1 }] });

    const exec = check("step.db_exec");
    exec.valid({
      database: "main-db",
      query: "INSERT INTO orders (user_id, amount, status) VALUES ($1, $2, $3)",
      params: ["{{ .steps.parse.body.user_id }}", "{{ .steps.parse.body.amount }}", "pending"],
    });
    exec.invalid({ database: "db", query: "DELETE FROM t", mode: "single" }, "mode");
  });

  it("step.transform operations are typed per operation", () => {
    const transform = check("step.transform");
    transform.valid({
      operations: [
        { type: "extract", config: { path: "body.items" } },
        { type: "map", config: { mappings: { qty: "quantity" } } },
        { type: "filter", config: { fields: ["id", "quantity"] } },
        { type: "convert", config: { from: "json", to: "string" } },
      ],
    });
    transform.invalid({ operations: [] }, "operations");
    transform.invalid({ operations: [{ type: "sort", config: {} }] }, "type");
    transform.invalid({ operations: [{ type: "extract", config: {} }] }, "path");
    transform.invalid({ operations: [{ type: "extract", config: { path: "a", x: 1 } }] }, "x");
    transform.invalid({ operations: [{ type: "convert", config: { from: "xml", to: "json" } }] });
  });

  it("step.publish, step.workflow_call, step.pipeline_output", () => {
    const publish = check("step.publish");
    publish.valid({ topic: "orders.created", payload: { id: "{{ .id }}" }, broker: "bus" });
    publish.invalid({ payload: {} }, "topic");

    const call = check("step.workflow_call");
    call.valid({
      workflow: "assign-responder",
      mode: "sync",
      input: { urgency: '{{ default "normal" .urgency }}' },
      output_mapping: { assigned: "steps.assign.responder" },
      timeout: "10s",
      stop_pipeline: false,
    });
    call.valid({ workflow: "notify", mode: "async", input: "{{ .steps.parse.body }}" });
    call.invalid({ mode: "sync" }, "workflow");
    call.invalid({ workflow: "x", mode: "background" }, "mode");
    call.invalid({ workflow: "x", input: "plain text" }, "input");

    const output = check("step.pipeline_output");
    output.valid({});
    output.valid({ source: "steps.fetch.rows" });
    output.valid({ values: { id: "{{ .id }}", ok: true } });
    output.invalid({ source: "a", values: {} }, "values");
  });

  it("step.foreach: one nested step or a list, upstream flat form too", () => {
    const foreach = check("step.foreach");
    foreach.valid({
      collection: "steps.fetch.rows",
      item_var: "order",
      index_key: "i",
      concurrency: 4,
      error_strategy: "collect_errors",
      steps: [
        { name: "log", type: "step.log", config: { message: "{{ .order.id }}" } },
        { type: "step.set", config: { values: { seen: true } } },
      ],
    });
    foreach.valid({
      collection: "items",
      item_key: "item",
      step: { type: "step.log", message: "{{ .item }}" },
    });
    foreach.invalid({ collection: "items" });
    foreach.invalid({ step: { type: "step.log", config: {} } }, "collection");
    foreach.invalid(
      { collection: "i", step: { type: "step.log" }, steps: [{ type: "step.log" }] },
      "steps",
    );
    foreach.invalid({ collection: "i", item_var: "a", item_key: "b", step: { type: "step.set" } });
    foreach.invalid({ collection: "i", step: { type: "log", config: {} } }, "type");
    foreach.invalid({ collection: "i", step: { type: "step.log", config: {}, message: "x" } });
    foreach.invalid(
      { collection: "i", step: { type: "step.log" }, concurrency: -1 },
      "concurrency",
    );
  });

  it("step.parallel branches need unique-looking names", () => {
    const parallel = check("step.parallel");
    parallel.valid({
      error_strategy: "collect_errors",
      steps: [
        { name: "a", type: "step.http_call", config: { url: "http://a" } },
        { name: "b", type: "step.http_call", url: "http://b" },
      ],
    });
    parallel.invalid({ steps: [{ type: "step.set", config: { values: {} } }] }, "name");
    parallel.invalid({ steps: [] }, "steps");
    parallel.invalid({ steps: [{ name: "a", type: "step.set" }], error_strategy: "ignore" });
  });

  it("step.retry_with_backoff", () => {
    const retry = check("step.retry_with_backoff");
    retry.valid({
      step: { type: "step.http_call", config: { url: "http://flaky" } },
      max_retries: 5,
      initial_delay: "200ms",
      max_delay: "10s",
      multiplier: 1.5,
    });
    retry.invalid({ max_retries: 3 }, "step");
    retry.invalid({ step: { type: "step.log" }, max_retries: -1 }, "max_retries");
    retry.invalid({ step: { type: "step.log" }, initial_delay: "1" }, "initial_delay");
    retry.invalid({ step: { type: "step.log" }, multiplier: 0 }, "multiplier");
  });

  it("step.tenant_ensure and step.tenant_get", () => {
    const ensure = check("step.tenant_ensure");
    ensure.valid({
      registry: "tenants",
      name: "{{ .steps.parse.body.name }}",
      slug: "{{ lower .steps.parse.body.slug }}",
      domains: ["acme.example.com"],
      metadata: { plan: "pro" },
    });
    ensure.valid({ registry: "tenants", name: "Acme", slug: "acme", domains: "{{ .domains }}" });
    ensure.invalid({ registry: "tenants", name: "Acme" }, "slug");
    ensure.invalid({ registry: "tenants", name: "A", slug: "a", domains: "acme.com" }, "domains");

    const get = check("step.tenant_get");
    get.valid({ registry: "tenants", slug: "{{ .steps.parse.path_params.tenant }}" });
    get.valid({ registry: "tenants", domain: "acme.example.com" });
    get.invalid({ registry: "tenants" });
    get.invalid({ registry: "tenants", id: "1", slug: "a" });
    get.invalid({ slug: "a" }, "registry");
  });
});
