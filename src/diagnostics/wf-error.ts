import type { UserDiagnostic } from "./diagnostic.js";
import { type ErrorCode, errorCatalog } from "./error-catalog.js";

const brand = Symbol.for("wfctl.WfError");

/**
 * An error meant for a person: a catalog code, a message that names where and what,
 * and optionally the diagnostics that caused it. The CLI prints these without a stack.
 * Identified by a brand rather than `instanceof`, so copies of the package agree.
 */
export class WfError extends Error {
  readonly code: ErrorCode;
  readonly diagnostics: readonly UserDiagnostic[];
  readonly [brand] = true;

  constructor(
    code: ErrorCode,
    message: string,
    options: { cause?: unknown; diagnostics?: readonly UserDiagnostic[] } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "WfError";
    this.code = code;
    this.diagnostics = options.diagnostics ?? [];
  }

  /** The catalog's advice for this failure family. */
  get fix(): string {
    return errorCatalog[this.code].fix;
  }

  static is(err: unknown): err is WfError {
    return (
      typeof err === "object" && err !== null && (err as { [brand]?: unknown })[brand] === true
    );
  }
}

/** Normalise a caught `unknown` once, at the boundary. */
export function toError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
