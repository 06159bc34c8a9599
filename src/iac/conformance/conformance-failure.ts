import { ErrResourceNotFound, errorIs, type SentinelError } from "../../contracts/index.js";
import { toError } from "../../diagnostics/index.js";
import { isSensitiveKey, SENSITIVE_MASK } from "../operations/index.js";

const failureBrand = Symbol.for("wfctl.conformance.ConformanceFailure");
const skipBrand = Symbol.for("wfctl.conformance.ConformanceSkip");

/**
 * A provider did not conform: names the check (`§8.3` for the upstream checks, else
 * the scenario's own number), what it checks, what was expected and what happened.
 */
export class ConformanceFailure extends Error {
  readonly [failureBrand] = true;
  readonly check: string;
  readonly expected: string;
  readonly got: string;

  constructor(check: string, what: string, expected: string, got: string, cause?: unknown) {
    super(
      `check ${check}: ${what} — expected ${expected}, got ${got}`,
      cause === undefined ? undefined : { cause },
    );
    this.name = "ConformanceFailure";
    this.check = check;
    this.expected = expected;
    this.got = got;
  }

  static is(x: unknown): x is ConformanceFailure {
    return (
      typeof x === "object" &&
      x !== null &&
      (x as { [failureBrand]?: unknown })[failureBrand] === true
    );
  }
}

/** Thrown by a scenario that finds at run time it cannot apply to this provider. */
export class ConformanceSkip extends Error {
  readonly [skipBrand] = true;

  constructor(reason: string) {
    super(reason);
    this.name = "ConformanceSkip";
  }

  static is(x: unknown): x is ConformanceSkip {
    return (
      typeof x === "object" && x !== null && (x as { [skipBrand]?: unknown })[skipBrand] === true
    );
  }
}

/**
 * Shows a value in a failure message: JSON, shortened, with secret-looking outputs
 * masked (failure messages end up in CI logs).
 */
export function show(value: unknown): string {
  if (value === undefined) return "undefined";
  const text = typeof value === "string" ? JSON.stringify(value) : safeJson(redact(value));
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}

/** `value` with strings under sensitive keys, or flagged in a `sensitive` map, masked. */
function redact(value: unknown, flagged: ReadonlySet<string> = new Set()): unknown {
  if (Array.isArray(value)) return value.map((v) => redact(v));
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  const marks = record.sensitive;
  const inner =
    marks !== null && typeof marks === "object"
      ? new Set(Object.entries(marks).flatMap(([k, on]) => (on === true ? [k] : [])))
      : new Set<string>();
  return Object.fromEntries(
    Object.entries(record).map(([key, v]) => [
      key,
      typeof v === "string" && (flagged.has(key) || isSensitiveKey(key))
        ? SENSITIVE_MASK
        : redact(v, key === "outputs" ? inner : undefined),
    ]),
  );
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Fails `check` unless `ok`; `got` is only computed on failure. */
export function expectThat(
  check: string,
  what: string,
  ok: boolean,
  expected: string,
  got: () => string,
): void {
  if (!ok) throw new ConformanceFailure(check, what, expected, got());
}

/** Fails `check` unless `got` is `expected` (JSON equality). */
export function expectEqual(check: string, what: string, got: unknown, expected: unknown): void {
  if (safeJson(got) !== safeJson(expected)) {
    throw new ConformanceFailure(check, what, show(expected), show(got));
  }
}

/** The value `call` resolves to; its rejection fails `check`. */
export async function expectResolves<T>(
  check: string,
  what: string,
  call: () => Promise<T> | T,
): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (ConformanceFailure.is(err) || ConformanceSkip.is(err)) throw err;
    throw new ConformanceFailure(check, what, "success", `error: ${toError(err).message}`, err);
  }
}

/** Fails `check` unless `call` rejects with an error matching `sentinel` (errorIs). */
export async function expectRejectsWith(
  check: string,
  what: string,
  call: () => Promise<unknown>,
  sentinel: SentinelError = ErrResourceNotFound,
): Promise<void> {
  let outcome: string;
  try {
    const value = await call();
    outcome = `success (${show(value)})`;
  } catch (err) {
    if (errorIs(err, sentinel)) return;
    outcome = `error: ${toError(err).message}`;
  }
  throw new ConformanceFailure(
    check,
    what,
    `an error matching the sentinel ${show(sentinel.message)} (wrapSentinel)`,
    outcome,
  );
}
