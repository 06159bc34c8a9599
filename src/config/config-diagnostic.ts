import type { ErrorCode, Severity, UserDiagnostic } from "../diagnostics/index.js";
import type { SourceNode } from "./source-tree.js";

/** Where on a node a finding points: the value itself, or the key it sits under. */
export type Anchor = "value" | "key";

/** A diagnostic positioned on a node of the source tree, with its file-local YAML path. */
export function diagnosticAt(
  node: SourceNode,
  code: ErrorCode,
  message: string,
  options: { anchor?: Anchor; severity?: Severity; path?: string } = {},
): UserDiagnostic {
  const source = options.anchor === "key" ? (node.keyPos ?? node.pos) : node.pos;
  const path = options.path ?? node.path;
  return {
    severity: options.severity ?? "error",
    code,
    message,
    source,
    ...(path === "" ? {} : { path }),
  };
}

/** A diagnostic with no position (e.g. about a command-line flag). */
export function diagnostic(
  code: ErrorCode,
  message: string,
  severity: Severity = "error",
): UserDiagnostic {
  return { severity, code, message };
}

/** `"x"` with JSON quoting, for names in messages. */
export function quote(value: string): string {
  return JSON.stringify(value);
}
