import path from "node:path";
import { Cron } from "croner";
import {
  type CanonicalServiceConfig,
  ErrValidation,
  type HealthCheckSpec,
  type LogDestinationSpec,
  type WorkerSpec,
  wrapSentinel,
} from "../../contracts/index.js";
import { packageRoot } from "../../package-root.js";
import { corsPolicy, serviceRouteRules, WEB_GROUP } from "./balancer-policy.js";
import {
  type AutoscalingPolicy,
  type LogDestination,
  type ProbeSpec,
  type ProcessGroupSpec,
  type ScheduledJobSpec,
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

/**
 * What a replica inherits from wfctl's environment (the supervisor passes only the
 * spec's env), with this installation's `wfctl` on PATH.
 */
const INHERITED_ENV = ["PATH", "HOME", "LANG", "TZ", "TMPDIR"];

export function baseEnv(): Record<string, string> {
  const env: Record<string, string> = Object.fromEntries(
    INHERITED_ENV.flatMap((key) => {
      const value = process.env[key];
      return value === undefined ? [] : [[key, value]];
    }),
  );
  // `wfctl` and the Node running it come first, so a job can run `wfctl migrate up`.
  const first = [path.join(packageRoot(), "bin"), path.dirname(process.execPath)];
  env.PATH = [...first, ...(env.PATH ? [env.PATH] : [])].join(path.delimiter);
  return env;
}

/** What a service's processes (replicas, workers, jobs) start from: inherited, then its env. */
export function serviceEnv(config: CanonicalServiceConfig): Record<string, string> {
  return envOf(baseEnv(), config.env_vars, config.env_vars_secret);
}

function envOf(...maps: (Record<string, string> | undefined)[]): Record<string, string> {
  return Object.assign({}, ...maps.filter((m) => m !== undefined));
}

function workerGroup(
  worker: WorkerSpec,
  cwd: string,
  base: Record<string, string>,
  routed: boolean,
): ProcessGroupSpec {
  const health = probeSpec(worker.health_check);
  return {
    name: worker.name,
    command: worker.run_command ?? "",
    cwd,
    env: envOf(base, worker.env_vars, worker.env_vars_secret),
    instances: worker.instance_count ?? 1,
    // A worker an ingress rule routes to listens on its PORT, like a web replica.
    port: routed,
    ...(health ? { health } : {}),
  };
}

/** The service's SCHEDULED jobs, run by the supervisor on their cron; a bad cron fails the deploy. */
function scheduledJobs(
  name: string,
  config: CanonicalServiceConfig,
  cwd: string,
  env: Record<string, string>,
): ScheduledJobSpec[] {
  return (config.jobs ?? [])
    .filter((job) => job.kind === "SCHEDULED")
    .map((job) => {
      const cron = job.cron ?? "";
      try {
        new Cron(cron, { paused: true }).stop();
      } catch (error) {
        throw wrapSentinel(
          ErrValidation,
          `${name}: job "${job.name}": cron "${cron}" is not a valid schedule (${(error as Error).message}); use five fields, e.g. "*/5 * * * *"`,
        );
      }
      return {
        name: job.name,
        cron,
        command: job.run_command ?? "",
        cwd,
        env: envOf(env, job.env_vars, job.env_vars_secret),
      };
    });
}

/** Where the supervisor POSTs replica log lines; `tls: true` insists on an https endpoint. */
function logDestinations(
  name: string,
  destinations: readonly LogDestinationSpec[],
): LogDestination[] {
  return destinations.map((d) => {
    let url: URL | undefined;
    try {
      url = new URL(d.endpoint);
    } catch {
      url = undefined;
    }
    const https = url?.protocol === "https:";
    if (!url || !(https || url.protocol === "http:") || (d.tls === true && !https)) {
      throw wrapSentinel(
        ErrValidation,
        `${name}: log_destinations "${d.name}": endpoint "${d.endpoint}" must be an ${d.tls ? "https" : "http(s)"} URL the local provider can POST log lines to`,
      );
    }
    return { name: d.name, endpoint: d.endpoint, ...(d.headers ? { headers: d.headers } : {}) };
  });
}

/**
 * CPU autoscaling of the web replicas (`min` defaults to 1, `max` to the larger of
 * `min` and instance_count); without `cpu_percent` there is nothing to act on.
 */
function autoscalingPolicy(
  name: string,
  config: CanonicalServiceConfig,
): AutoscalingPolicy | undefined {
  const a = config.autoscaling;
  if (a?.cpu_percent === undefined) return undefined;
  const min = a.min ?? 1;
  const max = a.max ?? Math.max(min, config.instance_count ?? 1);
  if (!Number.isInteger(min) || min < 0 || !Number.isInteger(max) || max < min || max < 1) {
    throw wrapSentinel(
      ErrValidation,
      `${name}: autoscaling min ${min} and max ${max} must be whole numbers with 0 <= min <= max and max >= 1`,
    );
  }
  if (!(a.cpu_percent > 0)) {
    throw wrapSentinel(
      ErrValidation,
      `${name}: autoscaling.cpu_percent must be above 0 (percent of one core per replica)`,
    );
  }
  return { group: WEB_GROUP, min, max, cpu_percent: a.cpu_percent };
}

/** The supervisor spec of a container service: its web replicas, workers and balancer. */
export function serviceSupervisorSpec(
  name: string,
  config: CanonicalServiceConfig,
  configDir: string,
  generation: number,
): SupervisorSpec {
  const cwd = path.resolve(configDir, config.source_dir ?? ".");
  const env = serviceEnv(config);
  const health = probeSpec(config.health_check);
  const liveness = probeSpec(config.liveness_check);
  const web: ProcessGroupSpec = {
    name: WEB_GROUP,
    command: config.run_command ?? "",
    cwd,
    env,
    instances: config.instance_count ?? 1,
    port: true,
    ...(health ? { health } : {}),
    ...(liveness ? { liveness } : {}),
  };
  const routes = serviceRouteRules(
    name,
    config.routes,
    config.ingress?.rules,
    (config.workers ?? []).map((w) => w.name),
  );
  if (config.ingress?.rules?.length && config.http_port === undefined) {
    throw wrapSentinel(
      ErrValidation,
      `${name}: ingress.rules route requests arriving on http_port; set http_port`,
    );
  }
  const routed = new Set(routes.flatMap((r) => r.group ?? []));
  const workers = (config.workers ?? []).map((w) => workerGroup(w, cwd, env, routed.has(w.name)));
  const jobs = scheduledJobs(name, config, cwd, env);
  const autoscaling = autoscalingPolicy(name, config);
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
            group: WEB_GROUP,
            ...(config.cors ? { cors: corsPolicy(name, config.cors) } : {}),
            ...(routes.length > 0 ? { routes } : {}),
          },
        }
      : {}),
    termination: {
      drain_ms: seconds(config.termination?.drain_seconds, 0),
      grace_ms: seconds(config.termination?.grace_period_seconds, 10_000),
    },
    restart: RESTART_BACKOFF,
    ...(jobs.length > 0 ? { scheduled_jobs: jobs } : {}),
    ...(config.log_destinations?.length
      ? { log_destinations: logDestinations(name, config.log_destinations) }
      : {}),
    ...(autoscaling ? { autoscaling } : {}),
  };
}
