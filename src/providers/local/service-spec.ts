import path from "node:path";
import type { CanonicalServiceConfig, HealthCheckSpec, WorkerSpec } from "../../contracts/index.js";
import {
  type ProbeSpec,
  type ProcessGroupSpec,
  SUPERVISOR_PROTOCOL_VERSION,
  type SupervisorSpec,
} from "./supervisor/supervisor-protocol.js";

/** Restart backoff of every local process: 200 ms, doubling up to 10 s. */
export const RESTART_BACKOFF = { initial_ms: 200, max_ms: 10_000 } as const;

const seconds = (s: number | undefined, fallbackMs: number): number =>
  typeof s === "number" ? Math.round(s * 1000) : fallbackMs;

/** A canonical health check as the supervisor's probe (seconds → ms; HTTP path or TCP). */
export function probeSpec(check: HealthCheckSpec | undefined): ProbeSpec | undefined {
  if (!check) return undefined;
  const port = check.tcp_port ?? check.port;
  return {
    ...(check.http_path ? { http_path: check.http_path } : {}),
    ...(port !== undefined ? { port } : {}),
    initial_delay_ms: seconds(check.initial_delay_seconds, 0),
    period_ms: seconds(check.period_seconds, 1000),
    timeout_ms: seconds(check.timeout_seconds, 1000),
    success_threshold: check.success_threshold ?? 1,
    failure_threshold: check.failure_threshold ?? 3,
  };
}

/** What a replica inherits from wfctl's environment: the supervisor passes only the spec's env. */
const INHERITED_ENV = ["PATH", "HOME", "LANG", "TZ", "TMPDIR"];

export function baseEnv(): Record<string, string> {
  return Object.fromEntries(
    INHERITED_ENV.flatMap((key) => {
      const value = process.env[key];
      return value === undefined ? [] : [[key, value]];
    }),
  );
}

function envOf(...maps: (Record<string, string> | undefined)[]): Record<string, string> {
  return Object.assign({}, ...maps.filter((m) => m !== undefined));
}

function workerGroup(
  worker: WorkerSpec,
  cwd: string,
  base: Record<string, string>,
): ProcessGroupSpec {
  const health = probeSpec(worker.health_check);
  return {
    name: worker.name,
    command: worker.run_command ?? "",
    cwd,
    env: envOf(base, worker.env_vars, worker.env_vars_secret),
    instances: worker.instance_count ?? 1,
    port: false,
    ...(health ? { health } : {}),
  };
}

/** The supervisor spec of a container service: its web replicas, workers and balancer. */
export function serviceSupervisorSpec(
  name: string,
  config: CanonicalServiceConfig,
  configDir: string,
  generation: number,
): SupervisorSpec {
  const cwd = path.resolve(configDir, config.source_dir ?? ".");
  const env = envOf(baseEnv(), config.env_vars, config.env_vars_secret);
  const health = probeSpec(config.health_check);
  const liveness = probeSpec(config.liveness_check);
  const web: ProcessGroupSpec = {
    name: "web",
    command: config.run_command ?? "",
    cwd,
    env,
    instances: config.instance_count ?? 1,
    port: true,
    ...(health ? { health } : {}),
    ...(liveness ? { liveness } : {}),
  };
  const workers = (config.workers ?? []).map((w) => workerGroup(w, cwd, env));
  return {
    version: SUPERVISOR_PROTOCOL_VERSION,
    resource: name,
    type: "infra.container_service",
    generation,
    groups: [web, ...workers],
    ...(config.http_port !== undefined
      ? {
          balancer: {
            host: "127.0.0.1",
            port: config.http_port,
            strategy: config.ingress?.load_balancer ?? "round_robin",
            group: "web",
          },
        }
      : {}),
    termination: {
      drain_ms: seconds(config.termination?.drain_seconds, 0),
      grace_ms: seconds(config.termination?.grace_period_seconds, 10_000),
    },
    restart: RESTART_BACKOFF,
  };
}
