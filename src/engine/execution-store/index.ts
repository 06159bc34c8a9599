/** The execution store: pipeline executions recorded from engine events, for the CLI. */
export type {
  ExecutionDetail,
  ExecutionEventRow,
  ExecutionStepRow,
  ExecutionSummary,
  ListExecutionsFilter,
} from "./execution-queries.js";
export { getExecution, listExecutions } from "./execution-queries.js";
export { ExecutionEvent, type ExecutionStatus, type StepStatus } from "./execution-record.js";
export {
  ExecutionStore,
  type ExecutionStoreOptions,
  type RecordDataMode,
  type RecordMode,
} from "./execution-store.js";
export { executionStoreMigrations } from "./execution-store-schema.js";
