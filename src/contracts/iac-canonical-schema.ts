import {
  alertOperators,
  domainTypes,
  jobKinds,
  loadBalancers,
  portProtocols,
  serviceProtocols,
} from "./iac-canonical-types.js";
import { sizes } from "./iac-sizing.js";

/**
 * The canonical JSON Schema (draft-07, as ajv validates by default) of an
 * `infra.container_service` config: closed at every level over the seed's field names,
 * with descriptions for editors. No `$id` and no `$ref`, so the schema can be embedded
 * in a larger config schema unchanged.
 */
export type JsonSchemaDocument = Readonly<Record<string, unknown>>;

type Schema = Record<string, unknown>;

const str = (description: string): Schema => ({ type: "string", description });
const bool = (description: string): Schema => ({ type: "boolean", description });
const count = (description: string): Schema => ({ type: "integer", minimum: 0, description });
const port = (description: string): Schema => ({
  type: "integer",
  minimum: 1,
  maximum: 65535,
  description,
});
const percent = (description: string): Schema => ({
  type: "integer",
  minimum: 1,
  maximum: 100,
  description,
});
const oneOf = (values: readonly string[], description: string): Schema => ({
  type: "string",
  enum: [...values],
  description,
});
const stringMap = (description: string): Schema => ({
  type: "object",
  additionalProperties: { type: "string" },
  description,
});
const stringList = (description: string): Schema => ({
  type: "array",
  items: { type: "string" },
  description,
});
const list = (description: string, items: Schema): Schema => ({
  type: "array",
  items,
  description,
});
const closed = (description: string, properties: Schema, required: string[] = []): Schema => ({
  type: "object",
  description,
  additionalProperties: false,
  properties,
  ...(required.length > 0 ? { required } : {}),
});

const envVars = () => stringMap("Plaintext environment variables.");
const envVarsSecret = () =>
  stringMap("Secret references for environment variables, resolved at deploy time.");

const portSpec = closed(
  "A named port exposed by the container.",
  {
    name: str("Port name."),
    port: port("Port number (1-65535)."),
    protocol: oneOf(portProtocols, "Port protocol."),
    public: bool("Whether the port is reachable from outside."),
  },
  ["port"],
);

const healthCheck = (description: string) =>
  closed(description, {
    http_path: str("HTTP path probed; a 2xx/3xx answer is healthy."),
    tcp_port: port("Port probed with a TCP connect."),
    port: port("Port the HTTP probe targets (default: the service port)."),
    initial_delay_seconds: count("Seconds to wait before the first probe."),
    period_seconds: count("Seconds between probes."),
    timeout_seconds: count("Seconds before a probe counts as failed."),
    success_threshold: count("Consecutive successes to become healthy."),
    failure_threshold: count("Consecutive failures to become unhealthy."),
  });

const autoscaling = closed("Horizontal instance autoscaling.", {
  min: count("Minimum instance count."),
  max: { type: "integer", minimum: 1, description: "Maximum instance count." },
  cpu_percent: percent("Target CPU utilisation (1-100)."),
  memory_percent: percent("Target memory utilisation (1-100)."),
});

const termination = closed("Drain and graceful-shutdown behaviour.", {
  drain_seconds: count("Seconds to stop routing new work before stopping."),
  grace_period_seconds: count("Seconds between SIGTERM and SIGKILL."),
});

const workloadResources = closed("CPU and memory requests and limits.", {
  cpu_millis: count("CPU request in millicores (1000 = 1 vCPU)."),
  memory_mib: count("Memory request in MiB."),
  cpu_limit: count("CPU limit in millicores."),
  memory_limit: count("Memory limit in MiB."),
});

const route = closed(
  "Maps an HTTP path prefix to this service.",
  {
    path: str("Path prefix."),
    preserve_path_prefix: bool("Keep the prefix when forwarding."),
  },
  ["path"],
);

const cors = closed("Cross-Origin Resource Sharing headers.", {
  allow_origins: stringList("Allowed origins."),
  allow_methods: stringList("Allowed methods."),
  allow_headers: stringList("Allowed request headers."),
  expose_headers: stringList("Response headers exposed to the browser."),
  allow_credentials: bool("Allow credentials."),
  max_age: str("How long a preflight answer may be cached, e.g. 1h."),
});

const domain = closed(
  "A custom domain attached to the service.",
  {
    name: str("Domain name."),
    zone: str("DNS zone the domain belongs to."),
    type: oneOf(domainTypes, "PRIMARY or ALIAS."),
    wildcard: bool("Also serve *.name."),
  },
  ["name"],
);

const alert = closed(
  "A metric threshold alert.",
  {
    rule: str("Metric rule the alert watches."),
    operator: oneOf(alertOperators, "Comparison against value."),
    value: { type: "number", description: "Threshold." },
    window: {
      type: "string",
      pattern: "^[1-9][0-9]*[smhd]$",
      description: "Evaluation window: a positive count and a unit s, m, h or d, e.g. 10m.",
    },
    disabled: bool("Keep the alert defined but silent."),
  },
  ["rule", "operator", "value"],
);
const alerts = () => list("Metric threshold alerts.", alert);

const logDestination = closed(
  "Forwards logs to an external system.",
  {
    name: str("Destination name."),
    endpoint: str("Where logs are sent."),
    headers: stringMap("Headers sent with each batch."),
    tls: bool("Use TLS."),
  },
  ["name", "endpoint"],
);
const logDestinations = () => list("Log forwarding destinations.", logDestination);

const ingress = closed("Inbound traffic routing.", {
  load_balancer: oneOf(loadBalancers, "How requests are spread over instances."),
  rules: list(
    "Routing rules.",
    closed(
      "Maps an HTTP match to a backend component.",
      {
        match: str("Path prefix or header expression."),
        component: str("Target service or worker name."),
      },
      ["match", "component"],
    ),
  ),
});

const egress = closed("Outbound traffic policy.", {
  bandwidth: str("Informational bandwidth budget, e.g. 1Gbps."),
  rules: list(
    "Outbound allow/deny entries.",
    closed(
      "One outbound allow/deny entry.",
      {
        destination: str("Destination host, CIDR or service."),
        protocol: str("Protocol."),
        allow: bool("Allow (true) or deny (false)."),
      },
      ["destination"],
    ),
  ),
});

const maintenance = closed("A recurring maintenance window.", {
  window: str("Window, e.g. Sun 03:00-05:00 UTC."),
  enabled: bool("Whether the window is in force."),
});

const job: Schema = {
  ...closed(
    "A one-off or scheduled job.",
    {
      name: str("Job name."),
      kind: oneOf(jobKinds, "When the job runs."),
      image: str("Container image; defaults to the service's."),
      run_command: str("Command to run."),
      env_vars: envVars(),
      env_vars_secret: envVarsSecret(),
      cron: str("Cron schedule; required for SCHEDULED jobs."),
      termination,
      alerts: alerts(),
      log_destinations: logDestinations(),
    },
    ["name", "kind"],
  ),
  if: { properties: { kind: { const: "SCHEDULED" } }, required: ["kind"] },
  // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword; not callable, so never a thenable.
  then: { properties: { cron: { type: "string", minLength: 1 } }, required: ["cron"] },
};

const worker = closed(
  "A long-running background worker.",
  {
    name: str("Worker name."),
    image: str("Container image; defaults to the service's."),
    run_command: str("Command to run."),
    env_vars: envVars(),
    env_vars_secret: envVarsSecret(),
    instance_count: count("Desired number of running instances."),
    size: oneOf(sizes, "Abstract sizing tier."),
    autoscaling,
    health_check: healthCheck("Readiness probe."),
    resources: workloadResources,
    termination,
    alerts: alerts(),
    log_destinations: logDestinations(),
  },
  ["name"],
);

const staticSite = closed(
  "A statically built web front-end.",
  {
    name: str("Site name."),
    build_command: str("Command that builds the site."),
    output_dir: str("Directory the build writes."),
    env_vars: envVars(),
    routes: list("Path prefixes served.", route),
    cors,
    domains: list("Custom domains.", domain),
    alerts: alerts(),
  },
  ["name"],
);

const sidecar = closed(
  "A companion container sharing the service's network.",
  {
    name: str("Sidecar name."),
    image: str("Container image."),
    run_command: str("Command to run."),
    env_vars: envVars(),
    env_vars_secret: envVarsSecret(),
    ports: list("Ports the sidecar exposes.", portSpec),
    resources: workloadResources,
    health_check: healthCheck("Readiness probe."),
  },
  ["name"],
);

// Keyed and ordered as the 32 canonical keys.
const canonicalProperties: Schema = {
  name: str("Unique name of the container service."),
  region: str("Deployment region (provider-specific slug)."),
  image: str("Container image reference."),
  http_port: port("Primary HTTP port (1-65535)."),
  internal_ports: list("Additional named ports exposed by the container.", portSpec),
  protocol: oneOf(serviceProtocols, "Application-layer protocol."),
  instance_count: count("Desired number of running instances."),
  size: oneOf(sizes, "Abstract sizing tier."),
  env_vars: envVars(),
  env_vars_secret: envVarsSecret(),
  vpc_ref: str("Name of the VPC resource the service joins."),
  autoscaling,
  routes: list("HTTP path prefixes routed to this service.", route),
  cors,
  domains: list("Custom domains.", domain),
  health_check: healthCheck("Readiness probe: gates traffic to an instance."),
  liveness_check: healthCheck("Liveness probe: restarts an instance that fails it."),
  ingress,
  egress,
  alerts: alerts(),
  log_destinations: logDestinations(),
  termination,
  maintenance,
  jobs: list("One-off and scheduled jobs.", job),
  workers: list("Background workers.", worker),
  static_sites: list("Static front-ends.", staticSite),
  sidecars: list("Companion containers.", sidecar),
  build_command: str("Command that builds the application from source."),
  run_command: str("Command that starts the application."),
  dockerfile_path: str("Path to the Dockerfile, relative to the source."),
  source_dir: str("Directory holding the application source."),
  provider_specific: {
    type: "object",
    additionalProperties: true,
    description: "Provider-specific overflow, keyed by provider name.",
  },
};

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) {
      deepFreeze(child);
    }
  }
  return value;
}

/** The canonical schema, parsed and deeply frozen. */
export const iacCanonicalSchema: JsonSchemaDocument = deepFreeze({
  $schema: "http://json-schema.org/draft-07/schema#",
  title: "Canonical IaC container service config",
  description:
    "Portable configuration of an infra.container_service resource across IaC providers.",
  type: "object",
  additionalProperties: false,
  properties: canonicalProperties,
});

const canonicalSchemaText = JSON.stringify(iacCanonicalSchema, null, 2);

/** The canonical schema as JSON text (the seed returns bytes). */
export function iacCanonicalSchemaJSON(): string {
  return canonicalSchemaText;
}

/**
 * The canonical schema plus the keys the engine reads from an infra module's config
 * (`provider`/`iac_provider`, `depends_on`, `protected`, `tags`, `adopt_existing`).
 * Still closed: anything else is a config error.
 */
export const containerServiceConfigSchema: JsonSchemaDocument = deepFreeze({
  $schema: "http://json-schema.org/draft-07/schema#",
  title: "infra.container_service config",
  description: "Canonical container-service keys plus the engine's resource keys.",
  type: "object",
  additionalProperties: false,
  properties: {
    ...canonicalProperties,
    provider: str("Name of the iac.provider module that manages this resource."),
    iac_provider: str("Same as provider; wins when both are set."),
    depends_on: {
      type: "array",
      items: { type: "string", minLength: 1 },
      uniqueItems: true,
      description: "Resources that must be applied before this one.",
    },
    protected: bool("Refuse plans that would delete or replace this resource."),
    tags: {
      anyOf: [stringList("Tag names."), stringMap("Tag names to values.")],
      description: "Tags for cleanup and enumeration, as names or a name-to-value map.",
    },
    adopt_existing: bool("Adopt a live resource with this name instead of creating one."),
  },
});
