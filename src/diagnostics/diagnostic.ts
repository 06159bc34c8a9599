import type { ErrorCode } from "./error-catalog.js";

/** Where in a config file a diagnostic points. Lines and columns are 1-based. */
export interface SourcePosition {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

export type Severity = "error" | "warning";

/**
 * A finding for a person: what is wrong (`message`), where (`source`, and the YAML
 * `path` such as `modules[2].config.http_port`) and which failure family (`code`).
 * Validation collects all of them before failing (Terraform's tfdiags habit).
 */
export interface UserDiagnostic {
  readonly severity: Severity;
  readonly code: ErrorCode;
  readonly message: string;
  readonly source?: SourcePosition;
  readonly path?: string;
}

/** `FILE:LINE:COL: message` for errors, `FILE:LINE:COL: warning: message` for warnings. */
export function formatDiagnostic(d: UserDiagnostic): string {
  const where = d.source ? `${d.source.file}:${d.source.line}:${d.source.col}: ` : "";
  const level = d.severity === "warning" ? "warning: " : "";
  return `${where}${level}${d.message}`;
}

export function hasErrors(diagnostics: readonly UserDiagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/** Errors before warnings, then by file, line and column: a stable order for output and tests. */
export function sortDiagnostics(diagnostics: readonly UserDiagnostic[]): UserDiagnostic[] {
  const rank = (d: UserDiagnostic) => (d.severity === "error" ? 0 : 1);
  return [...diagnostics].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (a.source?.file ?? "").localeCompare(b.source?.file ?? "") ||
      (a.source?.line ?? 0) - (b.source?.line ?? 0) ||
      (a.source?.col ?? 0) - (b.source?.col ?? 0),
  );
}
