/**
 * Config types of the first set of pipeline steps (CONFIG.md "Steps"), with upstream's
 * key names and aliases (spec upstream-engine.md §3). Keys carrying run-time data
 * (urls, bodies, params, statuses, messages) accept `{{ }}` templates; keys that shape
 * the step when it is built (modes, strategies, names, counts) are literal. Plain data
 * plus one register function; the step implementations live in src/engine/steps/.
 */
import {
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
import {
  stepConditional,
  stepForeach,
  stepParallel,
  stepRetryWithBackoff,
  stepWorkflowCall,
} from "./control-step-types.js";

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
      tenant_scoped: {
        description:
          "The request's tenant id is bound to `$tenant_id`, which the query must use (e.g. `WHERE tenant_id = $tenant_id`); an execution without a tenant fails with 404 `tenant not found`.",
        type: "boolean",
        default: false,
      },
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

/** The first set of step types, in CONFIG.md order (tenant steps register with the tenants subsystem). */
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
];

export function registerStepTypes(registry: ConfigTypeRegistry): void {
  for (const definition of stepTypes) registry.register("step", definition);
}
