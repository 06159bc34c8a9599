/**
 * Config types of the infrastructure modules: `iac.provider` (loads a provider),
 * `iac.state` (where state is kept), the resource types with a known shape
 * (`infra.container_service` on the seed's canonical keys, `infra.database`,
 * `infra.static_site`) and the `infra.*` fallback for resource types served only by
 * out-of-process providers. Plain data plus one register function.
 */

import {
  absent,
  closedObject,
  dependsOn,
  duration,
  excludes,
  expandable,
  moduleRef,
  port,
  requiresOneOf,
  sizeTier,
  stringMap,
  tags,
  text,
  when,
} from "../config/schema-fragments.js";
import type {
  ConfigTypeDefinition,
  ConfigTypeRegistry,
  JsonSchema,
} from "../config/type-registry.js";
import { containerServiceConfigSchema } from "../contracts/index.js";

export const STATE_BACKENDS = ["filesystem", "sqlite", "postgres"] as const;
export const DATABASE_ENGINES = ["sqlite", "postgres"] as const;

/**
 * Keys every resource module accepts besides its type-specific ones, the same as the
 * canonical container-service schema's (src/contracts). One of `provider` and
 * `iac_provider` is required (see `providerRequired`).
 */
function resourceKeys(): Record<string, JsonSchema> {
  return {
    provider: moduleRef("Name of the `iac.provider` module that manages this resource."),
    iac_provider: moduleRef("Upstream alias of `provider`; wins when both are set."),
    name: text({
      description:
        "Resource name (default: the module name); unique across all providers of the config.",
    }),
    depends_on: dependsOn(),
    protected: expandable("boolean", {
      description:
        "Refuse to delete or replace this resource (set from the module's `protected:`).",
      default: false,
    }),
    tags: tags(),
    adopt_existing: expandable("boolean", {
      description:
        "Adopt a live resource with this name (through the provider's adoption support) instead of creating one.",
      default: false,
    }),
  };
}

/** Every resource names its provider module, as `provider` or upstream's `iac_provider`. */
const providerRequired: JsonSchema = requiresOneOf("provider", "iac_provider");

const providerSpecific: JsonSchema = {
  description: "Settings only this resource's provider understands, passed to it unchanged.",
  type: "object",
};

const iacProvider: ConfigTypeDefinition = {
  type: "iac.provider",
  description:
    "Loads an IaC provider (built in, like `local`, or a plugin); resources name this module in `provider`.",
  configSchema: {
    description:
      "Configuration of an `iac.provider` module. Keys other than `provider` go to the provider's `initialize` unchanged.",
    type: "object",
    properties: {
      provider: text({
        description:
          "Provider to load: `local`, or the `iac.provider` name of a plugin found in the plugin directory.",
      }),
      workdir: text({
        description:
          "Folder for the provider's files (logs, data, supervisors), relative to the config file, e.g. `.wfctl/local`.",
      }),
    },
    required: ["provider"],
    additionalProperties: true,
  },
};

const iacState: ConfigTypeDefinition = {
  type: "iac.state",
  description:
    "Where IaC state is kept and locked. Without an `iac.state` module state goes to `.wfctl/state` next to the config.",
  configSchema: closedObject(
    "Configuration of an `iac.state` module; each backend takes only its own keys.",
    {
      backend: {
        description:
          "`filesystem`: a journal of versioned records in `directory`, flushed after every change; `sqlite`: one database file at `path`; `postgres`: a shared database at `dsn` (for teams and CI).",
        enum: [...STATE_BACKENDS],
        default: "filesystem",
      },
      // No `default:` here or on other backend-specific keys: a loader that fills in
      // defaults would add them to every backend's config, which the rules below reject.
      directory: text({
        description:
          "`filesystem` backend: state folder, relative to the config file (default `.wfctl/state`).",
      }),
      path: text({
        description:
          "`sqlite` backend: database file, relative to the config file (default `.wfctl/state.db`).",
      }),
      dsn: text({
        description:
          "`postgres` backend: connection string, e.g. `${WFCTL_STATE_DSN}`; never printed.",
      }),
      connection_string: text({ description: "Upstream alias of `dsn`." }),
      schema: text({
        description:
          "`postgres` backend: the schema holding wfctl's tables (default: the connection's search_path).",
      }),
      table_prefix: text({
        description:
          "`postgres` backend: prefix of wfctl's table names, so several stacks can share one database.",
      }),
      lock_ttl: duration(
        {
          description:
            "How long a state lock is held without being renewed before another run may take it over, e.g. `10m`.",
        },
        { allow: "expansion" },
      ),
    },
    {
      allOf: [
        excludes("dsn", "connection_string"),
        // No `backend` means filesystem: `properties` holds when the key is absent.
        when(
          { properties: { backend: { const: "filesystem" } } },
          absent("path", "dsn", "connection_string", "schema", "table_prefix"),
        ),
        when(
          { properties: { backend: { const: "sqlite" } }, required: ["backend"] },
          absent("directory", "dsn", "connection_string", "schema", "table_prefix"),
        ),
        when(
          { properties: { backend: { const: "postgres" } }, required: ["backend"] },
          { allOf: [absent("directory", "path"), requiresOneOf("dsn", "connection_string")] },
        ),
      ],
    },
  ),
};

/**
 * The canonical container-service schema (from src/contracts) plus the keys every
 * resource module has; the canonical definition wins where both define a key.
 */
function containerServiceSchema(canonical: JsonSchema): JsonSchema {
  // `$schema` is only meaningful at the root of a document; the loader embeds this one.
  const { $schema: _dialect, ...schema } = canonical as Record<string, unknown>;
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const allOf = Array.isArray(schema.allOf) ? (schema.allOf as JsonSchema[]) : [];
  return {
    ...schema,
    description:
      "Configuration of an `infra.container_service` module: the seed's canonical keys plus the resource keys (`provider`, `depends_on`, `protected`, `tags`, …).",
    properties: { ...resourceKeys(), ...properties },
    allOf: [...allOf, providerRequired],
  };
}

const infraContainerService: ConfigTypeDefinition = {
  type: "infra.container_service",
  description:
    "A long-running service (replicas of `run_command` or an image), with optional workers, jobs, health checks and an HTTP port.",
  configSchema: containerServiceSchema(containerServiceConfigSchema),
};

const infraDatabase: ConfigTypeDefinition = {
  type: "infra.database",
  description:
    "A database: with the `local` provider a SQLite file or a supervised PostgreSQL cluster; outputs include `uri`.",
  configSchema: closedObject(
    "Configuration of an `infra.database` module.",
    {
      ...resourceKeys(),
      engine: {
        description:
          "`sqlite` (a database file; outputs `path`, `uri`) or `postgres` (a server; outputs `host`, `port`, `database`, `user`, `password`, `uri`).",
        enum: [...DATABASE_ENGINES],
      },
      version: {
        description:
          "Engine version, e.g. `16`; default: the provider's (for `local`, the PostgreSQL found on PATH).",
        type: ["string", "number"],
        minLength: 1,
      },
      size: sizeTier(),
      region: text({ description: "Region or zone, for providers that have them." }),
      database: text({
        description: "`postgres`: name of the database to create (default: the resource name).",
      }),
      user: text({
        description:
          "`postgres`: role to create and own the database (default: the resource name).",
      }),
      provider_specific: providerSpecific,
    },
    { required: ["engine"], allOf: [providerRequired] },
  ),
};

/** A canonical key's schema, for types that share a key with container services. */
function canonicalKey(key: string): JsonSchema {
  const properties = containerServiceConfigSchema.properties as Record<string, JsonSchema>;
  const schema = properties[key];
  if (!schema) throw new Error(`no canonical key "${key}"`);
  return schema;
}

const infraStaticSite: ConfigTypeDefinition = {
  type: "infra.static_site",
  description:
    "Static files produced by `build_command` in `output_dir` and served over HTTP; outputs include `url`.",
  configSchema: closedObject(
    "Configuration of an `infra.static_site` module.",
    {
      ...resourceKeys(),
      source_dir: text({
        description: "Folder the build runs in, relative to the config file (default: its folder).",
      }),
      build_command: text({
        description: "Shell command that produces the site, e.g. `npm run build`.",
      }),
      output_dir: text({
        description: "Folder holding the files to serve, relative to `source_dir`.",
      }),
      http_port: port(
        {
          description: "Port the site is served on (default: a free port, see the `port` output).",
        },
        { expandable: true },
      ),
      env_vars: stringMap({
        description:
          "Environment of `build_command`; values may reference other resources' outputs (`${app-db.uri}`).",
      }),
      routes: canonicalKey("routes"),
      cors: canonicalKey("cors"),
      domains: canonicalKey("domains"),
      region: text({ description: "Region or zone, for providers that have them." }),
      provider_specific: providerSpecific,
    },
    { required: ["output_dir"], allOf: [providerRequired] },
  ),
};

const infraFallback: ConfigTypeDefinition = {
  type: "infra.*",
  description:
    "Any other infrastructure resource type (`infra.vpc`, `infra.cache`, …), served by a provider that declares it; its provider validates the rest of the config.",
  configSchema: {
    description:
      "Configuration of an infrastructure resource. Only the common keys are checked here; the provider checks the others.",
    type: "object",
    properties: {
      ...resourceKeys(),
      size: sizeTier(),
    },
    allOf: [providerRequired],
    additionalProperties: true,
  },
};

export const iacModuleTypes: readonly ConfigTypeDefinition[] = [
  iacProvider,
  iacState,
  infraContainerService,
  infraDatabase,
  infraStaticSite,
  infraFallback,
];

export function registerIacModuleTypes(registry: ConfigTypeRegistry): void {
  for (const definition of iacModuleTypes) registry.register("module", definition);
}
