import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import {
  canonicalKeys,
  containerServiceConfigSchema,
  iacCanonicalSchema,
  iacCanonicalSchemaJSON,
} from "../../src/contracts/index.js";

const ajv = new Ajv({ allErrors: true, strict: true });
const validateCanonical = ajv.compile(iacCanonicalSchema);
const validateService = ajv.compile(containerServiceConfigSchema);

const full = {
  name: "api",
  region: "local",
  image: "registry.example.com/api:1",
  http_port: 8080,
  internal_ports: [{ name: "metrics", port: 9090, protocol: "tcp", public: false }],
  protocol: "http",
  instance_count: 2,
  size: "s",
  env_vars: { LOG_LEVEL: "info" },
  env_vars_secret: { DB_PASSWORD: "secret://db" },
  vpc_ref: "main-vpc",
  autoscaling: { min: 1, max: 4, cpu_percent: 70, memory_percent: 80 },
  routes: [{ path: "/api", preserve_path_prefix: true }],
  cors: {
    allow_origins: ["https://example.com"],
    allow_methods: ["GET"],
    allow_headers: ["X-Id"],
    expose_headers: ["X-Trace"],
    allow_credentials: true,
    max_age: "1h",
  },
  domains: [{ name: "api.example.com", zone: "example.com", type: "PRIMARY", wildcard: false }],
  health_check: {
    http_path: "/healthz",
    port: 8080,
    initial_delay_seconds: 0,
    period_seconds: 1,
    timeout_seconds: 2,
    success_threshold: 1,
    failure_threshold: 3,
  },
  liveness_check: { tcp_port: 8080 },
  ingress: { load_balancer: "least_connections", rules: [{ match: "/", component: "api" }] },
  egress: {
    bandwidth: "1Gbps",
    rules: [{ destination: "0.0.0.0/0", protocol: "tcp", allow: true }],
  },
  alerts: [
    {
      rule: "CPU_UTILIZATION",
      operator: "GREATER_THAN",
      value: 90.5,
      window: "10m",
      disabled: false,
    },
  ],
  log_destinations: [{ name: "loki", endpoint: "https://loki", headers: { A: "b" }, tls: true }],
  termination: { drain_seconds: 5, grace_period_seconds: 10 },
  maintenance: { window: "Sun 03:00-05:00 UTC", enabled: true },
  jobs: [
    { name: "migrate", kind: "PRE_DEPLOY", run_command: "wfctl migrate up" },
    { name: "nightly", kind: "SCHEDULED", cron: "0 3 * * *", run_command: "node nightly.js" },
  ],
  workers: [
    {
      name: "mailer",
      run_command: "node worker.js",
      instance_count: 1,
      size: "xs",
      resources: { cpu_millis: 250, memory_mib: 256, cpu_limit: 500, memory_limit: 512 },
      termination: { drain_seconds: 1 },
    },
  ],
  static_sites: [
    { name: "web", build_command: "npm run build", output_dir: "dist", routes: [{ path: "/" }] },
  ],
  sidecars: [{ name: "proxy", image: "envoy", run_command: "envoy", ports: [{ port: 15000 }] }],
  build_command: "npm ci",
  run_command: "node server.js",
  dockerfile_path: "Dockerfile",
  source_dir: "./app",
  provider_specific: { digitalocean: { anything: [1, 2, 3] } },
};

function errorsOf(config: unknown, validate = validateCanonical): string[] {
  return validate(config)
    ? []
    : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

describe("iacCanonicalSchema", () => {
  it("is draft-07 JSON, also available as text", () => {
    expect(iacCanonicalSchema.$schema).toBe("http://json-schema.org/draft-07/schema#");
    expect(JSON.parse(iacCanonicalSchemaJSON())).toEqual(iacCanonicalSchema);
    expect(Object.isFrozen(iacCanonicalSchema)).toBe(true);
  });

  it("covers exactly the canonical keys, each described", () => {
    const props = iacCanonicalSchema.properties as Record<string, { description?: string }>;
    expect(Object.keys(props)).toEqual(canonicalKeys());
    for (const [key, prop] of Object.entries(props)) {
      expect(prop.description, key).toBeTruthy();
    }
  });

  it("accepts a full config and an empty one", () => {
    expect(errorsOf(full)).toEqual([]);
    expect(errorsOf({})).toEqual([]);
  });

  it("is closed at the top level", () => {
    expect(errorsOf({ ...full, replicas: 2 })).toContain(" must NOT have additional properties");
    expect(validateCanonical({ provider: "local" })).toBe(false);
    expect(validateCanonical({ depends_on: ["db"] })).toBe(false);
  });

  // Each case breaks one constraint of an otherwise valid config.
  const invalid: [string, Record<string, unknown>][] = [
    ["http_port 0", { http_port: 0 }],
    ["http_port 65536", { http_port: 65536 }],
    ["http_port not integer", { http_port: 80.5 }],
    ["http_port string", { http_port: "8080" }],
    ["internal port 0", { internal_ports: [{ port: 0 }] }],
    ["internal port missing", { internal_ports: [{ name: "x" }] }],
    ["internal port protocol", { internal_ports: [{ port: 1, protocol: "sctp" }] }],
    ["internal port extra key", { internal_ports: [{ port: 1, target: 2 }] }],
    ["protocol", { protocol: "udp" }],
    ["size", { size: "xxl" }],
    ["size upper-case", { size: "M" }],
    ["instance_count negative", { instance_count: -1 }],
    ["instance_count fractional", { instance_count: 1.5 }],
    ["env_vars value not string", { env_vars: { PORT: 8080 } }],
    ["env_vars_secret value not string", { env_vars_secret: { X: true } }],
    ["autoscaling extra key", { autoscaling: { min: 1, target: 3 } }],
    ["autoscaling cpu_percent 0", { autoscaling: { cpu_percent: 0 } }],
    ["autoscaling memory_percent 101", { autoscaling: { memory_percent: 101 } }],
    ["autoscaling max 0", { autoscaling: { max: 0 } }],
    ["termination extra key", { termination: { drain_seconds: 1, timeout: 2 } }],
    ["termination negative", { termination: { grace_period_seconds: -1 } }],
    ["alerts operator", { alerts: [{ rule: "CPU", operator: "EQUALS", value: 1 }] }],
    [
      "alerts window words",
      { alerts: [{ rule: "CPU", operator: "LESS_THAN", value: 1, window: "TEN_MINUTES" }] },
    ],
    [
      "alerts window zero",
      { alerts: [{ rule: "CPU", operator: "LESS_THAN", value: 1, window: "0m" }] },
    ],
    [
      "alerts window unit",
      { alerts: [{ rule: "CPU", operator: "LESS_THAN", value: 1, window: "10w" }] },
    ],
    ["alerts missing value", { alerts: [{ rule: "CPU", operator: "LESS_THAN" }] }],
    ["jobs kind lower-case", { jobs: [{ name: "j", kind: "pre_deploy" }] }],
    ["jobs kind missing", { jobs: [{ name: "j" }] }],
    ["jobs scheduled without cron", { jobs: [{ name: "j", kind: "SCHEDULED" }] }],
    ["jobs scheduled with empty cron", { jobs: [{ name: "j", kind: "SCHEDULED", cron: "" }] }],
    ["jobs extra key", { jobs: [{ name: "j", kind: "POST_DEPLOY", retries: 3 }] }],
    ["domains as strings", { domains: ["example.com"] }],
    ["domains type", { domains: [{ name: "x.com", type: "SECONDARY" }] }],
    ["health_check unknown key", { health_check: { path: "/healthz" } }],
    ["health_check port", { health_check: { port: 70000 } }],
    ["health_check tcp_port", { health_check: { tcp_port: 0 } }],
    ["liveness_check negative period", { liveness_check: { period_seconds: -1 } }],
    ["ingress load_balancer", { ingress: { load_balancer: "random" } }],
    ["ingress rule incomplete", { ingress: { rules: [{ match: "/" }] } }],
    ["egress rule extra key", { egress: { rules: [{ destination: "x", port: 1 }] } }],
    ["cors extra key", { cors: { allow_all: true } }],
    ["routes without path", { routes: [{ preserve_path_prefix: true }] }],
    ["log destination without endpoint", { log_destinations: [{ name: "x" }] }],
    ["maintenance extra key", { maintenance: { window: "x", day: "Sun" } }],
    ["workers without name", { workers: [{ run_command: "x" }] }],
    ["workers size", { workers: [{ name: "w", size: "huge" }] }],
    ["workers resources extra key", { workers: [{ name: "w", resources: { gpu: 1 } }] }],
    ["static_sites extra key", { static_sites: [{ name: "s", index_document: "index.html" }] }],
    ["sidecars port", { sidecars: [{ name: "s", ports: [{ port: 65536 }] }] }],
    ["name not string", { name: 42 }],
    ["provider_specific not object", { provider_specific: "x" }],
  ];

  it.each(invalid)("rejects %s", (_label, patch) => {
    expect(validateCanonical({ ...full, ...patch })).toBe(false);
  });
});

describe("containerServiceConfigSchema", () => {
  it("accepts the canonical keys plus the engine's resource keys", () => {
    const config = {
      ...full,
      provider: "local",
      iac_provider: "local",
      depends_on: ["app-db"],
      protected: true,
      tags: ["team-a"],
      adopt_existing: false,
    };
    expect(errorsOf(config, validateService)).toEqual([]);
    expect(validateService({ tags: { team: "a" } })).toBe(true);
  });

  it("stays closed and checks the engine keys' types", () => {
    expect(validateService({ replicas: 1 })).toBe(false);
    expect(validateService({ depends_on: "app-db" })).toBe(false);
    expect(validateService({ depends_on: ["a", "a"] })).toBe(false);
    expect(validateService({ depends_on: [""] })).toBe(false);
    expect(validateService({ protected: "yes" })).toBe(false);
    expect(validateService({ tags: [1] })).toBe(false);
    expect(validateService({ tags: { team: 1 } })).toBe(false);
    expect(validateService({ adopt_existing: 1 })).toBe(false);
    expect(validateService({ provider: 3 })).toBe(false);
    expect(validateService({ http_port: 0 })).toBe(false);
  });

  it("can be embedded in a larger schema", () => {
    const validate = new Ajv().compile({
      type: "object",
      properties: { config: containerServiceConfigSchema },
    });
    expect(validate({ config: { provider: "local", http_port: 8080 } })).toBe(true);
    expect(validate({ config: { provider: "local", nope: 1 } })).toBe(false);
  });
});
