import { formatDiagnostic, type UserDiagnostic } from "../diagnostics/index.js";
import type { OutputStream } from "./cli-io.js";

const red = (s: string) => `\u001b[31m${s}\u001b[39m`;
const yellow = (s: string) => `\u001b[33m${s}\u001b[39m`;

/** One line per diagnostic: `FILE:LINE:COL: message` (warnings say `warning:`). */
export function writeDiagnostics(
  stream: OutputStream,
  diagnostics: readonly UserDiagnostic[],
  color: boolean,
): void {
  for (const d of diagnostics) {
    const line = formatDiagnostic(d);
    stream.write(`${color ? (d.severity === "error" ? red(line) : yellow(line)) : line}\n`);
  }
}

/** The JSON shape of a diagnostic in every `--json` document. */
export function diagnosticJson(d: UserDiagnostic): Record<string, unknown> {
  return {
    severity: d.severity,
    code: d.code,
    message: d.message,
    ...(d.source ? { file: d.source.file, line: d.source.line, col: d.source.col } : {}),
    ...(d.path ? { path: d.path } : {}),
  };
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
