import { errorAs } from "./error-chain.js";
import { isObject } from "./guards.js";

const brand = Symbol.for("wfctl.contracts.ValidationError");

/**
 * A step failed because of the caller's input, not the infrastructure: HTTP handlers
 * answer with `status` (4xx) and `{"error": message}` instead of a 500.
 * Identified by a brand, so copies of the package agree.
 */
export class ValidationError extends Error {
  readonly [brand] = true;
  /** HTTP status to answer with (400, 422, ...); 0 means 400. */
  readonly status: number;
  /** Which field was invalid, when known. */
  readonly field: string | undefined;
  /** Machine-readable code for clients, when set. */
  readonly code: string | undefined;

  constructor(
    message: string,
    status: number,
    options: { field?: string; code?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ValidationError";
    this.status = status;
    this.field = options.field;
    this.code = options.code;
  }

  static is(x: unknown): x is ValidationError {
    return isObject(x) && x[brand] === true;
  }
}

/** The seed's constructor: 400 for bad input, 422 for an unprocessable entity. */
export function newValidationError(msg: string, status: number): ValidationError {
  return new ValidationError(msg, status);
}

/** True when `err` or any error in its chain is a ValidationError. */
export function isValidationError(err: unknown): boolean {
  return asValidationError(err) !== undefined;
}

/** The first ValidationError in `err`'s chain (Go's `errors.As`). */
export function asValidationError(err: unknown): ValidationError | undefined {
  return errorAs(err, ValidationError.is);
}

/** Status of the ValidationError in `err`'s chain; 400 when there is none or it is 0. */
export function validationErrorStatus(err: unknown): number {
  const ve = asValidationError(err);
  return ve !== undefined && ve.status !== 0 ? ve.status : 400;
}
