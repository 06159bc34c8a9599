import type { Size } from "./iac-sizing.js";

/**
 * The nested specs of the canonical container-service config. They describe user
 * config (YAML), so a property is required here only where the canonical schema
 * requires it; the JSON/YAML names are the seed's.
 */

/** Application-layer protocol of the service (`protocol`). */
export const serviceProtocols = Object.freeze(["tcp", "http", "http2", "grpc"] as const);
export type ServiceProtocol = (typeof serviceProtocols)[number];

/** Protocol of a named port (PortSpec). */
export const portProtocols = Object.freeze(["http", "tcp", "udp"] as const);
export type PortProtocol = (typeof portProtocols)[number];

export const alertOperators = Object.freeze(["GREATER_THAN", "LESS_THAN"] as const);
export type AlertOperator = (typeof alertOperators)[number];

export const domainTypes = Object.freeze(["PRIMARY", "ALIAS"] as const);
export type DomainType = (typeof domainTypes)[number];

/** When a job runs; SCHEDULED jobs need `cron`. */
export const jobKinds = Object.freeze([
  "PRE_DEPLOY",
  "POST_DEPLOY",
  "FAILED_DEPLOY",
  "SCHEDULED",
] as const);
export type JobKind = (typeof jobKinds)[number];

export const loadBalancers = Object.freeze(["round_robin", "least_connections"] as const);
export type LoadBalancer = (typeof loadBalancers)[number];

/** An observable metric threshold alert. */
export interface AlertSpec {
  rule: string;
  operator: AlertOperator;
  value: number;
  /** Evaluation window, e.g. "10m". */
  window?: string;
  disabled?: boolean;
}

/** Horizontal instance autoscaling. */
export interface AutoscalingSpec {
  min?: number;
  max?: number;
  cpu_percent?: number;
  memory_percent?: number;
}

/** Cross-Origin Resource Sharing headers. */
export interface CORSSpec {
  allow_origins?: string[];
  allow_methods?: string[];
  allow_headers?: string[];
  expose_headers?: string[];
  allow_credentials?: boolean;
  max_age?: string;
}

/** A custom domain attached to a service. */
export interface DomainSpec {
  name: string;
  zone?: string;
  type?: DomainType;
  wildcard?: boolean;
}

/** One outbound allow/deny entry. */
export interface EgressRule {
  destination: string;
  protocol?: string;
  allow?: boolean;
}

/** Outbound traffic policy. */
export interface EgressSpec {
  /** Informational budget, e.g. "1Gbps". */
  bandwidth?: string;
  rules?: EgressRule[];
}

/** An HTTP or TCP health probe. */
export interface HealthCheckSpec {
  http_path?: string;
  tcp_port?: number;
  port?: number;
  initial_delay_seconds?: number;
  period_seconds?: number;
  timeout_seconds?: number;
  success_threshold?: number;
  failure_threshold?: number;
}

/** Maps an HTTP match to a backend component. */
export interface IngressRule {
  /** Path prefix or header expression. */
  match: string;
  /** Target service or worker name. */
  component: string;
}

/** Inbound traffic routing. */
export interface IngressSpec {
  load_balancer?: LoadBalancer;
  rules?: IngressRule[];
}

/** A one-off or scheduled job workload. */
export interface JobSpec {
  name: string;
  kind: JobKind;
  image?: string;
  run_command?: string;
  env_vars?: Record<string, string>;
  env_vars_secret?: Record<string, string>;
  /** Required (non-empty) for SCHEDULED jobs. */
  cron?: string;
  termination?: TerminationSpec;
  alerts?: AlertSpec[];
  log_destinations?: LogDestinationSpec[];
}

/** Forwards logs to an external system. */
export interface LogDestinationSpec {
  name: string;
  endpoint: string;
  headers?: Record<string, string>;
  tls?: boolean;
}

/** A recurring maintenance window. */
export interface MaintenanceSpec {
  /** E.g. "Sun 03:00-05:00 UTC". */
  window?: string;
  enabled?: boolean;
}

/** A named port exposed by a service or sidecar. */
export interface PortSpec {
  name?: string;
  port: number;
  protocol?: PortProtocol;
  public?: boolean;
}

/** Maps an HTTP path prefix to this service. */
export interface RouteSpec {
  path: string;
  preserve_path_prefix?: boolean;
}

/** A companion container sharing the main service's network (e.g. a proxy). */
export interface SidecarSpec {
  name: string;
  image?: string;
  run_command?: string;
  env_vars?: Record<string, string>;
  env_vars_secret?: Record<string, string>;
  ports?: PortSpec[];
  resources?: WorkloadResourceSpec;
  health_check?: HealthCheckSpec;
}

/** A statically built web front-end. */
export interface StaticSiteSpec {
  name: string;
  build_command?: string;
  output_dir?: string;
  env_vars?: Record<string, string>;
  routes?: RouteSpec[];
  cors?: CORSSpec;
  domains?: DomainSpec[];
  alerts?: AlertSpec[];
}

/** Drain and graceful-shutdown behaviour. */
export interface TerminationSpec {
  drain_seconds?: number;
  grace_period_seconds?: number;
}

/** A long-running background worker. */
export interface WorkerSpec {
  name: string;
  image?: string;
  run_command?: string;
  env_vars?: Record<string, string>;
  env_vars_secret?: Record<string, string>;
  instance_count?: number;
  size?: Size;
  autoscaling?: AutoscalingSpec;
  health_check?: HealthCheckSpec;
  resources?: WorkloadResourceSpec;
  termination?: TerminationSpec;
  alerts?: AlertSpec[];
  log_destinations?: LogDestinationSpec[];
}

/**
 * CPU and memory requests/limits of a workload (distinct from the IaC ResourceSpec).
 * `cpu_millis`: 1000 = 1 vCPU.
 */
export interface WorkloadResourceSpec {
  cpu_millis?: number;
  memory_mib?: number;
  cpu_limit?: number;
  memory_limit?: number;
}

/**
 * A container-service config restricted to the 32 canonical keys, as the canonical
 * schema accepts it. Not a seed type: a typed view for providers reading
 * `ResourceSpec.config`.
 */
export interface CanonicalServiceConfig {
  name?: string;
  region?: string;
  image?: string;
  http_port?: number;
  internal_ports?: PortSpec[];
  protocol?: ServiceProtocol;
  instance_count?: number;
  size?: Size;
  env_vars?: Record<string, string>;
  env_vars_secret?: Record<string, string>;
  vpc_ref?: string;
  autoscaling?: AutoscalingSpec;
  routes?: RouteSpec[];
  cors?: CORSSpec;
  domains?: DomainSpec[];
  health_check?: HealthCheckSpec;
  liveness_check?: HealthCheckSpec;
  ingress?: IngressSpec;
  egress?: EgressSpec;
  alerts?: AlertSpec[];
  log_destinations?: LogDestinationSpec[];
  termination?: TerminationSpec;
  maintenance?: MaintenanceSpec;
  jobs?: JobSpec[];
  workers?: WorkerSpec[];
  static_sites?: StaticSiteSpec[];
  sidecars?: SidecarSpec[];
  build_command?: string;
  run_command?: string;
  dockerfile_path?: string;
  source_dir?: string;
  /** Provider-specific overflow, keyed by provider name. */
  provider_specific?: Record<string, unknown>;
}
