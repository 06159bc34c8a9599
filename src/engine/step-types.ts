/**
 * Config types of the first set of pipeline steps (CONFIG.md "Steps"), with upstream's
 * key names and aliases (spec upstream-engine.md §3). Keys carrying run-time data
 * (urls, bodies, params, statuses, messages) accept `{{ }}` templates; keys that shape
 * the step when it is built (modes, strategies, names, counts) are literal. Plain data
 * plus one register function; the step implementations live in src/engine/steps/.
 */
import {
  absent,
  closedObject,
  duration,
  excludes,
  HTTP_METHODS,
  moduleRef,
  present,
  requiresOneOf,
  stringList,
  stringMap,
  taggedUnion,
  templated,
  text,
  when,
} from "../config/schema-fragments.js";
import type {
  ConfigTypeDefinition,
  ConfigTypeRegistry,
  JsonSchema,
} from "../config/type-registry.js";

const ERROR_STRATEGIES = ["fail_fast", "collect_errors"] as const;

/**
 * A step defined inside another step (`step.foreach`, `step.parallel`,
 * `step.retry_with_backoff`). Canonical form `{name?, type, config}`; upstream's flat
 * form `{name?, type, ...config keys}` is also accepted (everything beside `name` and
 * `type` is the config), so without `config` the object stays open.
 */
function nestedStep(options: { nameRequired: boolean }): JsonSchema {
  const properties = {
    name: text({
      description: options.nameRequired
        ? "Branch name; its output is reported under this name (unique within the step)."
        : "Name of the nested step (in errors and outputs); defaults to the parent's name plus its position.",
    }),
    type: {
      description: "Step type, e.g. `step.http_call`.",
      type: "string",
      pattern: "^step\\.",
    },
    config: {
      description:
        "The nested step's config, validated like a top-level step of that type. (Upstream's flat form, with the config keys beside `type`, is also accepted.)",
      type: "object",
    },
  };
  return {
    description:
      "A nested step: `{name, type, config}` (or upstream's flat `{name, type, ...config}`).",
    type: "object",
    properties,
    required: options.nameRequired ? ["name", "type"] : ["type"],
    ...when(present("config"), {
      properties: { name: true, type: true, config: true },
      additionalProperties: false,
    }),
  };
}

/** Where a `*_from` key reads from: a dotted path into the pipeline data. */
function dataPath(description: string): JsonSchema {
  return text({
    description: `${description} A dotted path: \`steps.NAME.field…\` (a step's output), \`trigger.…\`, or a key of the current data; \`.\` is the whole current data.`,
  });
}

const httpStatus = (description: string, fallback: number): JsonSchema =>
  templated("integer", { description, minimum: 100, maximum: 599, default: fallback });

const headers = (description: string): JsonSchema => stringMap({ description });

const sqlQuery: JsonSchema = {
  description:
    "SQL with `$1`, `$2`, … placeholders (on SQLite too) bound to `params`. Templates (`{{`) are rejected: pass values through `params`.",
  type: "string",
  minLength: 1,
  pattern: "^(?![\\s\\S]*\\{\\{)",
};

const sqlParams = (description: string): JsonSchema => ({
  description,
  type: "array",
  items: {
    description:
      "A literal value or a template (`{{ .steps.parse.body.id }}`); a lone template keeps its type.",
    type: ["string", "number", "boolean", "null"],
  },
});

/** Keys shared by `step.db_query` and `step.db_exec`, with upstream's aliases. */
function dbStepSchema(description: string, extra: Record<string, JsonSchema>): JsonSchema {
  return closedObject(
    description,
    {
      database: moduleRef("Name of the `database.sqlite` or `database.postgres` module to use."),
      module: moduleRef("Upstream alias of `database`."),
      query: sqlQuery,
      params: sqlParams("Values bound to `$1`, `$2`, … in order."),
      args: sqlParams("Upstream alias of `params`."),
      ...extra,
    },
    {
      required: ["query"],
      allOf: [
        requiresOneOf("database", "module"),
        excludes("database", "module"),
        excludes("params", "args"),
      ],
    },
  );
}

const stepSet: ConfigTypeDefinition = {
  type: "step.set",
  description: "Outputs the given values (templates resolved); they merge into the current data.",
  configSchema: closedObject(
    "Configuration of a `step.set` step.",
    {
      values: {
        description:
          'Keys and values to output; string values may be templates (`created_at: "{{ now }}"`).',
        type: "object",
      },
    },
    { required: ["values"] },
  ),
};

const stepLog: ConfigTypeDefinition = {
  type: "step.log",
  description: "Writes a message to the app log, scoped to the execution.",
  configSchema: closedObject(
    "Configuration of a `step.log` step.",
    {
      level: {
        description: "Log level.",
        enum: ["debug", "info", "warn", "error"],
        default: "info",
      },
      message: {
        description: "The message; may contain templates (`order {{ .steps.parse.body.id }}`).",
        type: "string",
      },
    },
    { required: ["message"] },
  ),
};

const stepValidate: ConfigTypeDefinition = {
  type: "step.validate",
  description:
    "Validates data against a JSON Schema or a list of required fields; failure is HTTP 400 naming the failing field.",
  configSchema: closedObject(
    "Configuration of a `step.validate` step.",
    {
      strategy: {
        description:
          "`json_schema` (validate against `schema`) or `required_fields` (check `required_fields` are present). Default: `json_schema` when `schema` is given, else `required_fields`.",
        enum: ["json_schema", "required_fields"],
      },
      schema: {
        description:
          "JSON Schema (draft-07) the data must match; compiled once at load. Used by the `json_schema` strategy.",
        type: "object",
      },
      required_fields: stringList({
        description: "Fields that must be present. Used by the `required_fields` strategy.",
        minItems: 1,
      }),
      source: dataPath("Data to validate (default: the current data), e.g. `steps.parse.body`."),
    },
    {
      allOf: [
        requiresOneOf("schema", "required_fields"),
        when(
          { properties: { strategy: { const: "json_schema" } }, required: ["strategy"] },
          present("schema"),
        ),
        when(
          { properties: { strategy: { const: "required_fields" } }, required: ["strategy"] },
          present("required_fields"),
        ),
      ],
    },
  ),
};

const stepRequestParse: ConfigTypeDefinition = {
  type: "step.request_parse",
  description:
    "Reads the HTTP request: outputs `path_params`, `query`, `headers` and `body` for later steps.",
  configSchema: closedObject("Configuration of a `step.request_parse` step.", {
    parse_body: {
      description: "Parse the request body (per `format`) into `body`.",
      type: "boolean",
      default: false,
    },
    format: {
      description:
        "Body format: `json`, or `form` (application/x-www-form-urlencoded, first value per field).",
      enum: ["json", "form"],
      default: "json",
    },
    path_params: stringList({
      description:
        "Path parameters to extract into `path_params`, named as in the trigger path (`/api/orders/{id}` → `id`).",
    }),
    query_params: stringList({
      description: "Query parameters to extract into `query` (first value of each).",
    }),
    parse_headers: stringList({
      description: "Request headers to extract into `headers` (names case-insensitive).",
    }),
  }),
};

const stepJsonResponse: ConfigTypeDefinition = {
  type: "step.json_response",
  description: "Writes the HTTP response as JSON and ends the pipeline successfully.",
  configSchema: closedObject(
    "Configuration of a `step.json_response` step.",
    {
      status: httpStatus("HTTP status code (100–599), or a template yielding one.", 200),
      status_from: dataPath(
        "Read the status code from the data instead (falls back to `status` when it is not a whole number in 100–599).",
      ),
      headers: headers("Extra response headers; values may be templates."),
      body: {
        description:
          "Response body: any YAML value whose strings may be templates; `{_from: PATH}` inserts data at PATH unchanged. Without `body`/`body_from` only the status is sent.",
      },
      body_from: dataPath("Send this data as the body instead of `body`."),
    },
    { allOf: [excludes("body_from", "body")] },
  ),
};

const stepRawResponse: ConfigTypeDefinition = {
  type: "step.raw_response",
  description:
    "Writes a non-JSON HTTP response (text, HTML, …) and ends the pipeline successfully.",
  configSchema: closedObject(
    "Configuration of a `step.raw_response` step.",
    {
      status: httpStatus("HTTP status code (100–599), or a template yielding one.", 200),
      content_type: text({
        description: "Content-Type of the response.",
        default: "text/plain; charset=utf-8",
      }),
      headers: headers("Extra response headers; values may be templates."),
      body: { description: "Response body text; may contain templates.", type: "string" },
      body_from: dataPath("Send this data (a string) as the body instead of `body`."),
    },
    { allOf: [excludes("body_from", "body")] },
  ),
};

const stepConditional: ConfigTypeDefinition = {
  type: "step.conditional",
  description:
    "Jumps to another step: by the value of `field` looked up in `routes`, or by the truth of `if`. Execution continues sequentially from the target.",
  configSchema: closedObject(
    "Configuration of a `step.conditional` step: either `{field, routes, default}` or `{if, then, else}`.",
    {
      field: text({
        description:
          "Value to route on: a dotted path (`steps.parse.body.kind`) or a template (`{{ .trigger.headers.X-Kind }}`).",
      }),
      routes: {
        description: "Maps a value of `field` to the name of the step to jump to.",
        type: "object",
        minProperties: 1,
        additionalProperties: { type: "string", minLength: 1 },
      },
      default: text({
        description:
          "Step to jump to when the value is not in `routes`; without it that is an error.",
      }),
      if: text({
        description:
          'Condition template (`{{ gt .steps.total.value 100 }}`); false when it renders `""`, `false` or `0`.',
      }),
      // biome-ignore lint/suspicious/noThenProperty: the step's `then` key (a step name); never awaited.
      then: text({ description: "Step to jump to when `if` is true." }),
      else: text({
        description:
          "Step to jump to when `if` is false; without it the pipeline continues with the next step.",
      }),
    },
    when(
      present("if"),
      { allOf: [present("then"), absent("field", "routes", "default")] },
      { allOf: [present("field", "routes"), absent("then", "else")] },
    ),
  ),
};

const stepHttpCall: ConfigTypeDefinition = {
  type: "step.http_call",
  description:
    "Calls an HTTP endpoint; outputs `status_code`, `status`, `headers`, `body` (JSON decoded when possible) and `elapsed_ms`.",
  configSchema: closedObject(
    "Configuration of a `step.http_call` step.",
    {
      url: text({ description: "URL to call; may contain templates." }),
      method: { description: "HTTP method.", enum: [...HTTP_METHODS], default: "GET" },
      headers: headers("Request headers; values may be templates."),
      body: {
        description:
          "Request body, sent as JSON; strings may be templates. Without `body`/`body_from`, non-GET/HEAD requests send the current data.",
      },
      body_from: dataPath("Send this data as the JSON body instead of `body`."),
      timeout: duration(
        { description: "Time limit for the whole call, e.g. `5s`.", default: "30s" },
        { allow: "template" },
      ),
      error_on_status: templated("boolean", {
        description: "Fail the step when the response status is 400 or above.",
        default: true,
      }),
    },
    { required: ["url"], allOf: [excludes("body_from", "body")] },
  ),
};

const stepDbQuery: ConfigTypeDefinition = {
  type: "step.db_query",
  description:
    "Runs a SELECT; outputs `{rows, count}` (mode `list`) or `{row, found}` (mode `single`).",
  configSchema: dbStepSchema("Configuration of a `step.db_query` step.", {
    mode: {
      description:
        "`list` returns every row as `rows` with `count`; `single` returns the first as `row` with `found`. Upstream's `many`/`one` mean the same.",
      enum: ["list", "single", "many", "one"],
      default: "list",
    },
  }),
};

const stepDbExec: ConfigTypeDefinition = {
  type: "step.db_exec",
  description:
    "Runs an INSERT, UPDATE, DELETE or DDL statement; outputs `{affected_rows, last_id}`.",
  configSchema: dbStepSchema("Configuration of a `step.db_exec` step.", {}),
};

const transformOperation: JsonSchema = taggedUnion(
  "One transformation, applied to the output of the previous one (the first gets the current data).",
  "type",
  {
    extract: {
      description: "take the value at a path",
      properties: {
        config: closedObject(
          "Configuration of an `extract` operation.",
          {
            path: text({
              description: "Dotted path to take, e.g. `body.items` (numeric segments index lists).",
            }),
          },
          { required: ["path"] },
        ),
      },
      required: ["config"],
    },
    map: {
      description: "rename keys of an object",
      properties: {
        config: closedObject(
          "Configuration of a `map` operation.",
          {
            mappings: {
              description: "Old key → new key; other keys are kept.",
              type: "object",
              minProperties: 1,
              additionalProperties: { type: "string", minLength: 1 },
            },
          },
          { required: ["mappings"] },
        ),
      },
      required: ["config"],
    },
    filter: {
      description: "keep only some keys of an object",
      properties: {
        config: closedObject(
          "Configuration of a `filter` operation.",
          { fields: stringList({ description: "Keys to keep.", minItems: 1 }) },
          { required: ["fields"] },
        ),
      },
      required: ["config"],
    },
    convert: {
      description: "convert between JSON values and JSON text",
      properties: {
        config: closedObject(
          "Configuration of a `convert` operation: json→string serialises, string→json parses, json→json normalises.",
          {
            from: { description: "Input form.", enum: ["json", "string"] },
            to: { description: "Output form.", enum: ["json", "string"] },
          },
          { required: ["from", "to"] },
        ),
      },
      required: ["config"],
    },
  },
);

const stepTransform: ConfigTypeDefinition = {
  type: "step.transform",
  description: "Reshapes the current data with a list of operations; outputs `{data}`.",
  configSchema: closedObject(
    "Configuration of a `step.transform` step.",
    {
      operations: {
        description: "Operations applied in order.",
        type: "array",
        minItems: 1,
        items: transformOperation,
      },
    },
    { required: ["operations"] },
  ),
};

const stepPublish: ConfigTypeDefinition = {
  type: "step.publish",
  description:
    "Publishes a message on the event bus; outputs `{published}` (false, not an error, when no bus is configured).",
  configSchema: closedObject(
    "Configuration of a `step.publish` step.",
    {
      topic: text({
        description: "Topic to publish on, e.g. `orders.created`; may be a template.",
      }),
      payload: {
        description: "Message payload (strings may be templates); default: the current data.",
      },
      broker: moduleRef("Event bus module to publish on; default: the config's event bus."),
    },
    { required: ["topic"] },
  ),
};

const stepWorkflowCall: ConfigTypeDefinition = {
  type: "step.workflow_call",
  description:
    "Runs another pipeline of this config: waits for its result (`sync`) or starts it in the background (`async`).",
  configSchema: closedObject(
    "Configuration of a `step.workflow_call` step.",
    {
      workflow: text({ description: "Name of the pipeline to run." }),
      mode: {
        description:
          "`sync` waits and outputs the result; `async` starts the pipeline and outputs `{workflow, mode, dispatched}` at once.",
        enum: ["sync", "async"],
        default: "sync",
      },
      input: templated("object", {
        description:
          "Trigger data of the called pipeline, values may be templates; default: the current data.",
      }),
      output_mapping: {
        description:
          "Output key → dotted path into the called pipeline's data (`steps.save.row.id`); default: all of it as `result`.",
        type: "object",
        additionalProperties: { type: "string", minLength: 1 },
      },
      timeout: duration(
        { description: "Time limit for the called pipeline.", default: "30s" },
        { allow: "template" },
      ),
      stop_pipeline: {
        description:
          "End this pipeline successfully after the call (e.g. when the callee responded).",
        type: "boolean",
        default: false,
      },
    },
    { required: ["workflow"] },
  ),
};

const stepPipelineOutput: ConfigTypeDefinition = {
  type: "step.pipeline_output",
  description:
    "Sets the pipeline's result (the HTTP response body when no step wrote a response) and ends the pipeline successfully.",
  configSchema: closedObject(
    "Configuration of a `step.pipeline_output` step. Without `source` or `values` the result is the current data.",
    {
      source: dataPath("Data to use as the result."),
      values: templated("object", {
        description: "The result, built from these keys and values (strings may be templates).",
      }),
    },
    { allOf: [excludes("source", "values")] },
  ),
};

const stepForeach: ConfigTypeDefinition = {
  type: "step.foreach",
  description:
    "Runs nested steps once per item of a list; outputs `{results, count}` (and `error_count` with `collect_errors`).",
  configSchema: closedObject(
    "Configuration of a `step.foreach` step.",
    {
      collection: text({
        description:
          "The list to iterate: a dotted path (`steps.fetch.rows`) or a template yielding a list.",
      }),
      item_var: text({
        description: "Key under which nested steps see the current item (default `item`).",
      }),
      item_key: text({ description: "Upstream alias of `item_var`." }),
      index_key: text({
        description: "Key under which nested steps see the item's position (0-based).",
        default: "index",
      }),
      step: nestedStep({ nameRequired: false }),
      steps: {
        description: "Nested steps run in order for every item.",
        type: "array",
        minItems: 1,
        items: nestedStep({ nameRequired: false }),
      },
      concurrency: {
        description: "Items processed at once; 0 processes them one after another.",
        type: "integer",
        minimum: 0,
        default: 0,
      },
      error_strategy: {
        description:
          "`fail_fast` stops at the first failing item; `collect_errors` records failures in `results` and continues.",
        enum: [...ERROR_STRATEGIES],
        default: "fail_fast",
      },
    },
    {
      required: ["collection"],
      allOf: [
        requiresOneOf("step", "steps"),
        excludes("step", "steps"),
        excludes("item_var", "item_key"),
      ],
    },
  ),
};

const stepParallel: ConfigTypeDefinition = {
  type: "step.parallel",
  description:
    "Runs nested steps concurrently, each on its own copy of the data; outputs `{results, errors, completed, failed}` keyed by branch name.",
  configSchema: closedObject(
    "Configuration of a `step.parallel` step.",
    {
      steps: {
        description: "The branches; each needs a unique `name`.",
        type: "array",
        minItems: 1,
        items: nestedStep({ nameRequired: true }),
      },
      error_strategy: {
        description:
          "`fail_fast` fails (cancelling the others) when a branch fails; `collect_errors` reports failures in `errors` and fails only if every branch failed.",
        enum: [...ERROR_STRATEGIES],
        default: "fail_fast",
      },
    },
    { required: ["steps"] },
  ),
};

const stepRetryWithBackoff: ConfigTypeDefinition = {
  type: "step.retry_with_backoff",
  description:
    "Runs a nested step, retrying failures with exponential backoff; its output gains `retry_attempts`.",
  configSchema: closedObject(
    "Configuration of a `step.retry_with_backoff` step.",
    {
      step: nestedStep({ nameRequired: false }),
      max_retries: {
        description: "Retries after the first attempt (0 = no retry).",
        type: "integer",
        minimum: 0,
        default: 3,
      },
      initial_delay: duration({ description: "Wait before the first retry.", default: "1s" }),
      max_delay: duration({ description: "Longest wait between attempts.", default: "30s" }),
      multiplier: {
        description: "Factor applied to the wait after every retry.",
        type: "number",
        exclusiveMinimum: 0,
        default: 2,
      },
    },
    { required: ["step"] },
  ),
};

const tenantRegistryRef = moduleRef("Name of the `tenants.registry` module.");

const stepTenantEnsure: ConfigTypeDefinition = {
  type: "step.tenant_ensure",
  description:
    "Returns the tenant with `slug`, creating it (with `name`, `domains`, `metadata`) when missing; outputs it as `tenant`.",
  configSchema: closedObject(
    "Configuration of a `step.tenant_ensure` step.",
    {
      registry: tenantRegistryRef,
      name: text({ description: "Display name of the tenant; may be a template." }),
      slug: text({
        description: "Unique lower-case identifier of the tenant, e.g. `acme`; may be a template.",
      }),
      domains: templated("array", {
        description: "Domains that resolve to this tenant; a list, or a template yielding one.",
        items: { type: "string", minLength: 1 },
      }),
      metadata: templated("object", {
        description: "Free-form metadata stored with the tenant; values may be templates.",
      }),
    },
    { required: ["registry", "name", "slug"] },
  ),
};

const stepTenantGet: ConfigTypeDefinition = {
  type: "step.tenant_get",
  description:
    "Looks a tenant up by exactly one of `id`, `slug` or `domain`; outputs it as `tenant`.",
  configSchema: closedObject(
    "Configuration of a `step.tenant_get` step.",
    {
      registry: tenantRegistryRef,
      id: text({ description: "Tenant id; may be a template." }),
      slug: text({ description: "Tenant slug; may be a template." }),
      domain: text({ description: "A domain of the tenant; may be a template." }),
    },
    {
      required: ["registry"],
      oneOf: [present("id"), present("slug"), present("domain")],
    },
  ),
};

/** The first set of step types, in CONFIG.md order. */
export const stepTypes: readonly ConfigTypeDefinition[] = [
  stepSet,
  stepLog,
  stepValidate,
  stepRequestParse,
  stepJsonResponse,
  stepRawResponse,
  stepConditional,
  stepHttpCall,
  stepDbQuery,
  stepDbExec,
  stepTransform,
  stepPublish,
  stepWorkflowCall,
  stepPipelineOutput,
  stepForeach,
  stepParallel,
  stepRetryWithBackoff,
  stepTenantEnsure,
  stepTenantGet,
];

export function registerStepTypes(registry: ConfigTypeRegistry): void {
  for (const definition of stepTypes) registry.register("step", definition);
}
