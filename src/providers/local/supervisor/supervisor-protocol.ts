/**
 * The contract between the `local` provider and its per-resource supervisor: a
 * detached process that outlives `wfctl` and keeps a resource's processes alive.
 *
 * The provider writes `spec.json` (atomically) in the resource's folder and starts
 * the supervisor with that folder as its only argument. To change a running resource
 * it writes a new spec (higher `generation`) and sends SIGHUP: the supervisor rolls
 * replicas to it one at a time. SIGTERM stops everything gracefully (drain, SIGTERM,
 * SIGKILL after the grace period) and exits. The supervisor reports by rewriting
 * `status.json` (atomically) whenever something changes and at least every second;
 * its own pid is in `supervisor.pid`. Logs go to `logs/`.
 */

export const SUPERVISOR_PROTOCOL_VERSION = 1;

export interface ProbeSpec {
  /** HTTP GET this path on the replica's port; without it a TCP connect is the probe. */
  readonly http_path?: string;
  /** Probe this port instead of the replica's PORT. */
  readonly port?: number;
  readonly initial_delay_ms: number;
  readonly period_ms: number;
  readonly timeout_ms: number;
  /** Consecutive successes before healthy. */
  readonly success_threshold: number;
  /** Consecutive failures before unhealthy (readiness) or a restart (liveness). */
  readonly failure_threshold: number;
}

export interface ProcessGroupSpec {
  /** `web` for a service's replicas, else the worker's name. */
  readonly name: string;
  /** Run with `/bin/sh -c` in `cwd`. */
  readonly command: string;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly instances: number;
  /** Give each replica its own free port in `PORT`. */
  readonly port: boolean;
  /** Fixed port for a single-instance group (e.g. a PostgreSQL server), passed as PORT. */
  readonly fixed_port?: number;
  /** Readiness: gates traffic from the balancer and the resource's `ready`. */
  readonly health?: ProbeSpec;
  /** Liveness: failing it restarts the replica. */
  readonly liveness?: ProbeSpec;
  /** Run as this user (root only), e.g. for PostgreSQL. */
  readonly run_as?: { readonly uid: number; readonly gid: number };
  /** Signal for a graceful stop (default SIGTERM; PostgreSQL wants SIGINT for a fast shutdown). */
  readonly stop_signal?: NodeJS.Signals;
}

/** Cross-origin policy the balancer enforces (answers preflights itself). */
export interface CorsPolicy {
  /** Origins allowed; `*` allows any (echoed, never `*`, when credentials are allowed). */
  readonly allow_origins: readonly string[];
  readonly allow_methods?: readonly string[];
  /** Without it, the headers a preflight asks for are allowed. */
  readonly allow_headers?: readonly string[];
  readonly expose_headers?: readonly string[];
  readonly allow_credentials?: boolean;
  readonly max_age_s?: number;
}

/** A path prefix the balancer serves; requests under no route get 404. */
export interface RouteRule {
  /** Matched on whole path segments: `/api` matches `/api` and `/api/x`, not `/apix`. */
  readonly prefix: string;
  /** Forward the path without the prefix (`/api/x` → `/x`). */
  readonly strip: boolean;
  /** The process group that serves the route (default: the balancer's `group`). */
  readonly group?: string;
}

export interface BalancerSpec {
  readonly host: string;
  readonly port: number;
  readonly strategy: "round_robin" | "least_connections";
  /** The process group whose healthy replicas receive traffic (unless a route names another). */
  readonly group: string;
  readonly cors?: CorsPolicy;
  /** Without routes every path is served as is. The longest matching prefix wins. */
  readonly routes?: readonly RouteRule[];
}

/** A command run on a cron schedule, one run at a time (a tick is skipped while one runs). */
export interface ScheduledJobSpec {
  readonly name: string;
  /** Five fields, or six with seconds first. */
  readonly cron: string;
  /** IANA zone the schedule is read in (default: the supervisor's). */
  readonly timezone?: string;
  /** Run with `/bin/sh -c` in `cwd`; output to `logs/job-<name>.log`. */
  readonly command: string;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
}

/**
 * An HTTP endpoint replica log lines are POSTed to, as JSON batches
 * `{resource, group, index, lines}` of at most 100 lines or 1 s.
 */
export interface LogDestination {
  readonly name: string;
  readonly endpoint: string;
  /** Sent with every batch (e.g. an API key). */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * Replica count of one group driven by CPU: the average over its replicas above
 * `cpu_percent` (of one core) for 3 samples in a row adds a replica, up to `max`;
 * below half of it for 6 samples removes one, down to `min`.
 */
export interface AutoscalingPolicy {
  readonly group: string;
  readonly min: number;
  readonly max: number;
  readonly cpu_percent: number;
  /** Between CPU samples (default 5 s). */
  readonly sample_ms?: number;
}

export interface JobStatus {
  readonly name: string;
  readonly running: boolean;
  readonly last_run?: {
    readonly started_at: string;
    /** Absent while the run goes on. */
    readonly finished_at?: string;
    readonly exit_code?: number | null;
    readonly signal?: string | null;
  };
  readonly next_run?: string;
  /** E.g. an invalid cron expression. */
  readonly error?: string;
}

export interface SupervisorSpec {
  readonly version: typeof SUPERVISOR_PROTOCOL_VERSION;
  readonly resource: string;
  readonly type: string;
  /** Increases with every change; replicas of an older generation are rolled. */
  readonly generation: number;
  readonly groups: readonly ProcessGroupSpec[];
  readonly balancer?: BalancerSpec;
  readonly termination: { readonly drain_ms: number; readonly grace_ms: number };
  /** Restart backoff: first delay, doubling up to the max, reset after a minute of uptime. */
  readonly restart: { readonly initial_ms: number; readonly max_ms: number };
  /**
   * How long a new replica may take to pass readiness during a rolling update before
   * the roll is abandoned (the old replicas keep serving). Default: the readiness
   * probe's initial delay + failure_threshold × period + 30 s (30 s without a probe).
   */
  readonly ready_timeout_ms?: number;
  readonly scheduled_jobs?: readonly ScheduledJobSpec[];
  readonly log_destinations?: readonly LogDestination[];
  readonly autoscaling?: AutoscalingPolicy;
}

export type ReplicaState =
  | "starting"
  | "healthy"
  | "unhealthy"
  | "crashed"
  | "stopping"
  | "stopped";

export interface ReplicaStatus {
  readonly index: number;
  readonly generation: number;
  readonly pid?: number;
  readonly port?: number;
  readonly state: ReplicaState;
  readonly restarts: number;
  readonly started_at?: string;
  readonly last_exit?: {
    readonly code: number | null;
    readonly signal: string | null;
    readonly at: string;
  };
}

export interface SupervisorStatus {
  readonly version: typeof SUPERVISOR_PROTOCOL_VERSION;
  readonly pid: number;
  readonly resource: string;
  /** The spec generation the supervisor is running (or rolling to). */
  readonly generation: number;
  readonly started_at: string;
  readonly updated_at: string;
  readonly balancer?: {
    readonly port: number;
    readonly listening: boolean;
    readonly error?: string;
  };
  readonly groups: readonly {
    readonly name: string;
    readonly replicas: readonly ReplicaStatus[];
  }[];
  readonly jobs?: readonly JobStatus[];
  /** The replica count autoscaling currently wants, and the last CPU average (percent of a core). */
  readonly autoscaling?: {
    readonly group: string;
    readonly target: number;
    readonly cpu_percent?: number;
  };
  /** Every replica of every group runs the current generation and passes readiness; the balancer listens. */
  readonly ready: boolean;
  /** A problem that stops the resource from working (e.g. the balancer port is taken). */
  readonly error?: string;
}

/** File names inside a resource's folder. */
export const SUPERVISOR_FILES = {
  spec: "spec.json",
  status: "status.json",
  pid: "supervisor.pid",
  logs: "logs",
} as const;
