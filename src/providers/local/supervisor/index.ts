/**
 * The `local` provider's supervisor: a detached process per resource that keeps its
 * replicas alive, balances HTTP over the healthy ones, rolls updates and reports in
 * status.json. The provider talks to it only through the files and signals of
 * supervisor-protocol.ts; supervisorCommand() says how to start it.
 */
export { SUPERVISOR_BUNDLE, supervisorCommand } from "./supervisor-entry.js";
export type {
  BalancerSpec,
  ProbeSpec,
  ProcessGroupSpec,
  ReplicaState,
  ReplicaStatus,
  SupervisorSpec,
  SupervisorStatus,
} from "./supervisor-protocol.js";
export { SUPERVISOR_FILES, SUPERVISOR_PROTOCOL_VERSION } from "./supervisor-protocol.js";
