import type { IaCPlan, ResourceState } from "../../contracts/index.js";
import { WfError } from "../../diagnostics/index.js";
import { isRecord } from "../../is-record.js";
import type { LockHolder, ResourceIntent } from "./state-store.js";

/**
 * The persisted format of state records. Every record a store writes carries the
 * format `version`; each version has a reader below, and a record (or database
 * schema) of a newer version is refused, never guessed at, so an older wfctl cannot
 * misread or overwrite what a newer one wrote.
 */

/** The format this wfctl writes. */
export const STATE_FORMAT_VERSION = 1;

export interface RecordPayloads {
  readonly resource: ResourceState;
  readonly plan: IaCPlan;
  readonly intent: ResourceIntent;
  readonly lock: LockHolder;
}
export type RecordKind = keyof RecordPayloads;

type Reader = (record: Readonly<Record<string, unknown>>, kind: RecordKind) => unknown;

/** One reader per format version: version 1 is `{version: 1, <kind>: payload}`. */
const readers: Readonly<Record<number, Reader>> = {
  1: (record, kind) => record[kind],
};

const payloadChecks: { readonly [K in RecordKind]: (x: Record<string, unknown>) => boolean } = {
  resource: (x) => typeof x.name === "string" && typeof x.type === "string",
  plan: (x) => typeof x.id === "string" && Array.isArray(x.actions),
  intent: (x) => typeof x.name === "string" && typeof x.action === "string",
  lock: (x) =>
    typeof x.id === "string" &&
    typeof x.user === "string" &&
    typeof x.host === "string" &&
    typeof x.pid === "number" &&
    typeof x.command === "string" &&
    typeof x.acquired_at === "string" &&
    typeof x.expires_at === "string",
};

export function encodeRecord<K extends RecordKind>(kind: K, payload: RecordPayloads[K]): string {
  return JSON.stringify({ version: STATE_FORMAT_VERSION, [kind]: payload });
}

/**
 * Reads a record written by {@link encodeRecord} of this or an older format. `where`
 * names it in messages (a file path, or a table and key).
 */
export function decodeRecord<K extends RecordKind>(
  kind: K,
  text: string,
  where: string,
): RecordPayloads[K] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw unreadable(where, "it is not valid JSON", err);
  }
  if (!isRecord(parsed) || typeof parsed.version !== "number") {
    throw unreadable(where, "it has no format version");
  }
  checkFormatVersion(parsed.version, where);
  const reader = readers[parsed.version];
  const payload = reader?.(parsed, kind);
  if (!isRecord(payload) || !payloadChecks[kind](payload)) {
    throw unreadable(where, `it holds no valid ${kind}`);
  }
  return payload as unknown as RecordPayloads[K];
}

/** Parses a payload stored without an envelope (SQL columns, versioned by the schema). */
export function decodePayload<K extends RecordKind>(
  kind: K,
  value: unknown,
  where: string,
): RecordPayloads[K] {
  let parsed = value;
  if (typeof value === "string") {
    try {
      parsed = JSON.parse(value);
    } catch (err) {
      throw unreadable(where, "it is not valid JSON", err);
    }
  }
  if (!isRecord(parsed) || !payloadChecks[kind](parsed)) {
    throw unreadable(where, `it holds no valid ${kind}`);
  }
  return parsed as unknown as RecordPayloads[K];
}

/** Refuses a format newer than this wfctl reads, naming it. */
export function checkFormatVersion(version: number, where: string): void {
  if (!Number.isInteger(version) || version < 1) {
    throw unreadable(where, `its format version ${version} is not valid`);
  }
  if (version > STATE_FORMAT_VERSION) {
    throw new WfError(
      "WF_ERR_STATE_VERSION",
      `${where} was written by a newer wfctl (state format version ${version}; this wfctl reads versions up to ${STATE_FORMAT_VERSION}): upgrade wfctl to one that reads format ${version}`,
    );
  }
}

function unreadable(where: string, why: string, cause?: unknown): WfError {
  return new WfError(
    "WF_ERR_STATE",
    `${where} cannot be read: ${why}; restore it from a backup or remove it`,
    cause === undefined ? {} : { cause },
  );
}
