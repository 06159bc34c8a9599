/**
 * Config types of the engine's app modules (CONFIG.md "App modules"): the HTTP server
 * (with its health, readiness, liveness and OpenAPI endpoints), databases, the
 * execution store, the in-process event bus and Prometheus metrics. Plain data plus
 * one register function; the module implementations live elsewhere in src/engine/.
 */
import {
  closedObject,
  duration,
  expandable,
  expandableString,
  HTTP_METHODS,
  moduleRef,
  stringList,
  text,
  urlPath,
} from "../config/schema-fragments.js";
import type {
  ConfigTypeDefinition,
  ConfigTypeRegistry,
  JsonSchema,
} from "../config/type-registry.js";

/** 0–65535 as a regex (0 = any free port). */
const PORT_NUMBER =
  "(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}|0)";

/** `[host]:port`, host being a name, an IPv4 address or a bracketed IPv6 address. */
const LISTEN_ADDRESS = `(?:\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.-]*):${PORT_NUMBER}`;

const MIB = 1024 * 1024;

const migrations: JsonSchema = text({
  description:
    "Folder of versioned SQL migrations (`<version>_<name>.up.sql` / `.down.sql`), relative to the config file; pending ones are applied when the module starts.",
});

/** CORSSpec (seed type) with its JSON names. */
const cors: JsonSchema = closedObject(
  "Cross-Origin Resource Sharing for every route of this server (the seed's CORSSpec). Omit to send no CORS headers.",
  {
    allow_origins: stringList({
      description:
        "Origins allowed to call the API, e.g. `https://app.example.com`; `*` allows any origin (not combinable with credentials).",
    }),
    allow_methods: {
      description: "Methods allowed in cross-origin requests (default: GET, HEAD, POST).",
      type: "array",
      items: { enum: [...HTTP_METHODS] },
      uniqueItems: true,
    },
    allow_headers: stringList({
      description:
        "Request headers a cross-origin request may send (Access-Control-Allow-Headers).",
    }),
    expose_headers: stringList({
      description: "Response headers the browser may read (Access-Control-Expose-Headers).",
    }),
    allow_credentials: expandable("boolean", {
      description: "Allow cookies and Authorization headers on cross-origin requests.",
      default: false,
    }),
    max_age: {
      description:
        "How long browsers may cache a preflight answer: a duration (`10m`) or whole seconds (`600`).",
      type: ["integer", "string"],
      minimum: 0,
      pattern: "^(?:[0-9]+|(?:[0-9]+(?:ms|s|m|h))+)$",
    },
  },
);

const httpServer: ConfigTypeDefinition = {
  type: "http.server",
  description:
    "HTTP server for pipelines with HTTP triggers; also serves health, readiness, liveness and OpenAPI endpoints.",
  configSchema: closedObject("Configuration of an `http.server` module.", {
    address: expandableString(
      {
        description:
          "Listen address `[host]:port`: `:8080` listens on every interface, `127.0.0.1:8080` on loopback only, port 0 on any free port.",
        default: ":8080",
      },
      LISTEN_ADDRESS,
    ),
    body_limit: {
      ...expandableString(
        {
          description:
            "Largest accepted request body: bytes (`1048576`) or a size with unit B, KB, KiB, MB, MiB, GB or GiB (`10MiB`). Larger bodies get 413.",
          default: MIB,
        },
        "[0-9]+(?:B|KB|KiB|MB|MiB|GB|GiB)?",
      ),
      type: ["integer", "string"],
      minimum: 1,
    },
    cors,
    request_id: expandable("boolean", {
      description:
        "Give every request an ID (kept from an incoming X-Request-ID header, else generated), echoed in X-Request-ID and in logs.",
      default: true,
    }),
    health_path: urlPath({
      description:
        "Path of the health endpoint: 200 `{status: healthy|degraded, checks}`, 503 when unhealthy.",
      default: "/healthz",
    }),
    ready_path: urlPath({
      description:
        "Path of the readiness endpoint: 503 until the app has started and every check is healthy, then 200 `{status: ready}`.",
      default: "/readyz",
    }),
    live_path: urlPath({
      description: "Path of the liveness endpoint: 200 `{status: alive}` while the process runs.",
      default: "/livez",
    }),
    openapi_path: urlPath({
      description:
        "Path of the generated OpenAPI document describing this server's HTTP-triggered pipelines.",
      default: "/openapi.json",
    }),
  }),
};

const databaseSqlite: ConfigTypeDefinition = {
  type: "database.sqlite",
  description: "Embedded SQLite database, used by db steps, the execution store and tenants.",
  configSchema: closedObject(
    "Configuration of a `database.sqlite` module.",
    {
      path: text({
        description:
          "Database file, relative to the config file (created if missing); `:memory:` for a private in-memory database.",
      }),
      migrations,
    },
    { required: ["path"] },
  ),
};

const databasePostgres: ConfigTypeDefinition = {
  type: "database.postgres",
  description: "PostgreSQL connection pool, used by db steps, the execution store and tenants.",
  configSchema: closedObject(
    "Configuration of a `database.postgres` module.",
    {
      dsn: text({
        description:
          "Connection string, e.g. `postgres://user:pass@host:5432/app` or `${DATABASE_URL}`; never printed in logs.",
      }),
      pool_size: expandable("integer", {
        description: "Maximum number of open connections in the pool.",
        minimum: 1,
        default: 10,
      }),
      migrations,
    },
    { required: ["dsn"] },
  ),
};

const executionStore: ConfigTypeDefinition = {
  type: "execution.store",
  description:
    "Records pipeline executions and their steps (status, timings, errors; trigger data and outputs as `record_data` says).",
  configSchema: closedObject(
    "Configuration of an `execution.store` module.",
    {
      database: moduleRef(
        "Name of the `database.sqlite` or `database.postgres` module the executions are stored in.",
      ),
      retention: duration(
        {
          description:
            "How long finished executions are kept, e.g. `7d`, `12h` (units ms, s, m, h, d); unset keeps them forever.",
        },
        { days: true, allow: "expansion" },
      ),
      record: {
        description:
          "Which executions to record: `all`, only `failed` ones, or `none` (disables recording).",
        enum: ["all", "failed", "none"],
        default: "all",
      },
      record_data: {
        description:
          "Whose data (trigger data, step outputs, output) is recorded: `all` executions', those that `failed` or were cancelled or traced (`X-Workflow-Trace: true`), or `none`.",
        enum: ["all", "failed", "none"],
        default: "failed",
      },
    },
    { required: ["database"] },
  ),
};

const eventbusMemory: ConfigTypeDefinition = {
  type: "eventbus.memory",
  description:
    "In-process event bus: topics for `step.publish` and `event` triggers, and the engine's workflow lifecycle events.",
  configSchema: closedObject("An `eventbus.memory` module takes no configuration.", {}),
};

const metricsPrometheus: ConfigTypeDefinition = {
  type: "metrics.prometheus",
  description:
    "Prometheus metrics (executions, durations, HTTP requests) served on every `http.server`.",
  configSchema: closedObject("Configuration of a `metrics.prometheus` module.", {
    path: urlPath({
      description: "Path the metrics are served on, in Prometheus text format.",
      default: "/metrics",
    }),
  }),
};

/** The engine's app module types, in CONFIG.md order (tenants.* are registered by src/tenants). */
export const engineModuleTypes: readonly ConfigTypeDefinition[] = [
  httpServer,
  databaseSqlite,
  databasePostgres,
  executionStore,
  eventbusMemory,
  metricsPrometheus,
];

export function registerEngineModuleTypes(registry: ConfigTypeRegistry): void {
  for (const definition of engineModuleTypes) registry.register("module", definition);
}
