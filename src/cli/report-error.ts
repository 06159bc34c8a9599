import { CommanderError } from "commander";
import { toError, WfError } from "../diagnostics/index.js";
import type { CliIO } from "./cli-io.js";
import { diagnosticJson, writeDiagnostics } from "./diagnostics-output.js";
import { ExitCode } from "./exit-codes.js";

export interface ErrorReportOptions {
  readonly json: boolean;
  readonly verbose: boolean;
  readonly color: boolean;
}

/**
 * Print an error for a person (never a stack trace unless -v) and return the exit
 * code. With --json the error is also a JSON document on stdout.
 */
export function reportError(err: unknown, io: CliIO, options: ErrorReportOptions): number {
  if (err instanceof CommanderError) {
    // commander has already printed its message (usage errors, --help, --version).
    return err.exitCode === 0 ? ExitCode.ok : ExitCode.error;
  }
  const known = WfError.is(err);
  const error = toError(err);
  const code = known ? err.code : "WF_ERR_INTERNAL";
  const message = known ? error.message : `internal error: ${error.message}`;

  if (options.json) {
    const diagnostics = known ? err.diagnostics.map(diagnosticJson) : [];
    io.stdout.write(
      `${JSON.stringify({ version: 1, error: { code, message, diagnostics } }, null, 2)}\n`,
    );
  }
  if (known) writeDiagnostics(io.stderr, err.diagnostics, options.color);
  io.stderr.write(`Error: ${message}\n`);
  if (!known) io.stderr.write("This is a bug in wfctl; re-run with -v for details.\n");
  if (options.verbose) {
    io.stderr.write(`${error.stack ?? ""}\n`);
    if (error.cause !== undefined)
      io.stderr.write(`Caused by: ${String(toError(error.cause).stack)}\n`);
  }
  const lockHeld = code === "WF_ERR_STATE_LOCKED" || code === "WF_ERR_MIGRATION_LOCKED";
  return lockHeld ? ExitCode.lockHeld : ExitCode.error;
}
