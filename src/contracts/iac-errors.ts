import { errorChain } from "./error-chain.js";
import { isObject } from "./guards.js";

const sentinelBrand = Symbol.for("wfctl.contracts.SentinelError");
const wrappedBrand = Symbol.for("wfctl.contracts.WrappedSentinelError");

/**
 * The names plugins put in a JSON-RPC error's `data.sentinel` (PLUGINS.md). wfctl maps
 * them back to the sentinels below, keeping the seed's message strings.
 */
export const sentinelWireNames = Object.freeze([
  "not_found",
  "already_exists",
  "rate_limited",
  "transient",
  "unauthorized",
  "forbidden",
  "validation",
  "image_not_in_registry",
  "unimplemented",
] as const);
export type SentinelWireName = (typeof sentinelWireNames)[number];

export function isSentinelWireName(x: unknown): x is SentinelWireName {
  return typeof x === "string" && (sentinelWireNames as readonly string[]).includes(x);
}

/**
 * A response-category error of the seed (`ErrResourceNotFound`, ...). There is one
 * instance per category; match with {@link errorIs}, never `===` or `instanceof`, so
 * wrapped errors, copies of this package and errors rebuilt from another process
 * (which keep only the message) all match.
 */
export class SentinelError extends Error {
  readonly [sentinelBrand] = true;
  /** Name used on the plugin wire (`data.sentinel`). */
  readonly wireName: SentinelWireName;
  /** HTTP status for this category, when it has one. */
  readonly httpStatus: number | undefined;

  constructor(message: string, wireName: SentinelWireName, httpStatus?: number) {
    super(message);
    this.name = "SentinelError";
    this.wireName = wireName;
    this.httpStatus = httpStatus;
  }

  static is(x: unknown): x is SentinelError {
    return isObject(x) && x[sentinelBrand] === true;
  }
}

function sentinel(message: string, wireName: SentinelWireName, httpStatus?: number) {
  const err = new SentinelError(message, wireName, httpStatus);
  // A module-load stack trace would only mislead whoever prints a wrapped chain.
  Object.defineProperty(err, "stack", { value: `SentinelError: ${message}` });
  return Object.freeze(err);
}

// The message strings are load-bearing across process boundaries: do not change them.
export const ErrResourceNotFound = sentinel("iac: resource not found", "not_found", 404);
export const ErrResourceAlreadyExists = sentinel(
  "iac: resource already exists",
  "already_exists",
  409,
);
export const ErrRateLimited = sentinel("iac: rate limited", "rate_limited", 429);
export const ErrTransient = sentinel("iac: transient error", "transient", 502);
/** Not in the seed's variable block; upstream's status table lists it for 401. */
export const ErrUnauthorized = sentinel("iac: unauthorized", "unauthorized", 401);
export const ErrForbidden = sentinel("iac: forbidden", "forbidden", 403);
export const ErrValidation = sentinel("iac: validation error", "validation", 400);
/** Drivers return it (wrapped) from diff/create/update when an image pre-flight fails. */
export const ErrImageNotInRegistry = sentinel(
  "iac: image tag or digest not found in registry",
  "image_not_in_registry",
);
/**
 * An out-of-process provider lacks the optional method just called. Callers treat it
 * exactly like "does not implement the interface": log the skip and move on.
 */
export const ErrProviderMethodUnimplemented = sentinel(
  "iac: provider method unimplemented",
  "unimplemented",
);

/** Every sentinel, in the precedence {@link sentinelOf} uses for message matches. */
export const iacSentinels: readonly SentinelError[] = Object.freeze([
  ErrResourceNotFound,
  ErrResourceAlreadyExists,
  ErrRateLimited,
  ErrTransient,
  ErrUnauthorized,
  ErrForbidden,
  ErrValidation,
  ErrImageNotInRegistry,
  ErrProviderMethodUnimplemented,
]);

/**
 * An error that carries a sentinel: Go's `fmt.Errorf("...: %w", ErrX)`, optionally
 * also wrapping the underlying `cause` (Go's `%w: %w`). Both stay reachable through
 * {@link errorChain}.
 */
export class WrappedSentinelError extends Error {
  readonly [wrappedBrand] = true;
  readonly sentinel: SentinelError;

  /** `message` is used verbatim; {@link wrapSentinel} appends the sentinel's message. */
  constructor(sentinel: SentinelError, message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause === undefined ? sentinel : options.cause });
    this.name = "WrappedSentinelError";
    this.sentinel = sentinel;
  }

  static is(x: unknown): x is WrappedSentinelError {
    return isObject(x) && x[wrappedBrand] === true;
  }
}

/**
 * Wraps `sentinel` with context: the message is `${message}: ${sentinel.message}`, so
 * the sentinel stays identifiable by message after crossing a process boundary.
 */
export function wrapSentinel(
  sentinel: SentinelError,
  message: string,
  cause?: unknown,
): WrappedSentinelError {
  const text = message === "" ? sentinel.message : `${message}: ${sentinel.message}`;
  return new WrappedSentinelError(sentinel, text, { cause });
}

function messageOf(e: unknown): string {
  if (typeof e === "string") {
    return e;
  }
  return isObject(e) && typeof e.message === "string" ? e.message : "";
}

/** An error's message without the sentinel message wrapSentinel appended: for people. */
export function messageWithoutSentinel(err: unknown): string {
  const message = messageOf(err);
  const sentinel = sentinelOf(err);
  const suffix = sentinel ? `: ${sentinel.message}` : "";
  return suffix !== "" && message.endsWith(suffix) ? message.slice(0, -suffix.length) : message;
}

/**
 * Go's `errors.Is`: true when `target` is in `err`'s chain. For a sentinel target it
 * also matches any sentinel with the same message and, as upstream does, any error in
 * the chain whose message contains the sentinel's message.
 */
export function errorIs(err: unknown, target: unknown): boolean {
  const wanted = SentinelError.is(target) ? target : undefined;
  for (const e of errorChain(err)) {
    if (e === target) {
      return true;
    }
    if (wanted !== undefined) {
      if (SentinelError.is(e) && e.message === wanted.message) {
        return true;
      }
      if (messageOf(e).includes(wanted.message)) {
        return true;
      }
    }
  }
  return false;
}

/**
 * The seed sentinel `err` carries, or undefined. A sentinel attached in the chain wins
 * (the first one, depth-first); otherwise message matches are tried in
 * {@link iacSentinels} order.
 */
export function sentinelOf(err: unknown): SentinelError | undefined {
  for (const e of errorChain(err)) {
    if (SentinelError.is(e)) {
      const known = iacSentinels.find((s) => s.message === e.message);
      if (known !== undefined) {
        return known;
      }
    }
  }
  return iacSentinels.find((s) => errorIs(err, s));
}

/**
 * HTTP status for the sentinel in `err`'s chain: 404, 409, 429, 502, 401, 403 or 400.
 * Undefined when there is none, or for the two sentinels without a status
 * (image-not-in-registry, provider-method-unimplemented); callers default to 500.
 */
export function sentinelHttpStatus(err: unknown): number | undefined {
  return sentinelOf(err)?.httpStatus;
}

/** The sentinel an HTTP status denotes (upstream's table), or undefined. */
export function sentinelFromHttpStatus(status: number): SentinelError | undefined {
  switch (status) {
    case 404:
    case 410:
      return ErrResourceNotFound;
    case 409:
      return ErrResourceAlreadyExists;
    case 429:
      return ErrRateLimited;
    case 502:
    case 503:
    case 504:
      return ErrTransient;
    case 401:
      return ErrUnauthorized;
    case 403:
      return ErrForbidden;
    case 400:
    case 422:
      return ErrValidation;
    default:
      return undefined;
  }
}

/** The wire name of the sentinel in `err`'s chain, or undefined. */
export function sentinelWireName(err: unknown): SentinelWireName | undefined {
  return sentinelOf(err)?.wireName;
}

/** The sentinel a plugin's `data.sentinel` names, or undefined for an unknown name. */
export function sentinelFromWireName(name: string): SentinelError | undefined {
  return iacSentinels.find((s) => s.wireName === name);
}
