/**
 * The `local` provider's supervisor: a detached process per resource that keeps its
 * replicas alive, balances HTTP over the healthy ones (with routes and CORS), rolls
 * updates, runs scheduled jobs, forwards logs, autoscales on CPU and reports in
 * status.json. The provider talks to it only through the files and signals of
 * supervisor-protocol.ts; supervisorCommand() says how to start it.
 */
export { SUPERVISOR_BUNDLE, supervisorCommand } from "./supervisor-entry.js";
export type {
  AutoscalingPolicy,
  BalancerSpec,
  CorsPolicy,
  JobStatus,
  LogDestination,
  ProbeSpec,
  ProcessGroupSpec,
  ReplicaState,
  ReplicaStatus,
  RouteRule,
  ScheduledJobSpec,
  SupervisorSpec,
  SupervisorStatus,
} from "./supervisor-protocol.js";
export { SUPERVISOR_FILES, SUPERVISOR_PROTOCOL_VERSION } from "./supervisor-protocol.js";
