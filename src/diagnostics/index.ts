/**
 * Diagnostics: the user-facing error catalog, positioned findings and the error type
 * the CLI prints without a stack. Every subsystem reports problems through these.
 */
export {
  formatDiagnostic,
  hasErrors,
  type Severity,
  type SourcePosition,
  sortDiagnostics,
  type UserDiagnostic,
} from "./diagnostic.js";
export { type ErrorCode, errorCatalog, errorCodes } from "./error-catalog.js";
export { redactDsn } from "./redact-dsn.js";
export {
  isSensitiveKey,
  maskSecrets,
  SENSITIVE_MASK,
  SENSITIVE_OUTPUT_NAMES,
} from "./sensitive-keys.js";
export { toError, WfError } from "./wf-error.js";
