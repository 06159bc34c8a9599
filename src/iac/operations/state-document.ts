import {
  type AppliedConfigSource,
  appliedConfigSources,
  type ResourceState,
} from "../../contracts/index.js";
import { WfError } from "../../diagnostics/index.js";
import { isRecord } from "../../is-record.js";

/**
 * The portable form of a whole state (`wfctl infra state export|import`): versioned,
 * so a document from a newer wfctl is refused rather than misread.
 */

export const STATE_DOCUMENT_VERSION = 1;

export interface StateDocument {
  readonly version: typeof STATE_DOCUMENT_VERSION;
  /** The wfctl that wrote it, named when a reader is too old. */
  readonly wfctl_version?: string;
  readonly resources: ResourceState[];
}

const requiredStrings = [
  "id",
  "name",
  "type",
  "provider",
  "provider_id",
  "config_hash",
  "created_at",
  "updated_at",
] as const;
const optionalStrings = ["provider_ref", "last_drift_check"] as const;

type Json = Record<string, unknown>;

/**
 * Checks a parsed document and returns it with each resource reduced to the known
 * ResourceState fields. Every problem is listed in one WF_ERR_STATE error; a newer
 * version is WF_ERR_STATE_VERSION naming the wfctl that wrote it.
 */
export function parseStateDocument(doc: unknown, source = "state document"): StateDocument {
  if (!isRecord(doc)) {
    throw new WfError("WF_ERR_STATE", `${source} is not a JSON object with version and resources`);
  }
  const { version } = doc;
  if (
    typeof version === "number" &&
    Number.isInteger(version) &&
    version > STATE_DOCUMENT_VERSION
  ) {
    const by =
      typeof doc.wfctl_version === "string" ? `wfctl ${doc.wfctl_version}` : "a newer wfctl";
    throw new WfError(
      "WF_ERR_STATE_VERSION",
      `${source} has format version ${version}, written by ${by}; this wfctl reads version ${STATE_DOCUMENT_VERSION}`,
    );
  }
  const problems: string[] = [];
  if (version !== STATE_DOCUMENT_VERSION) {
    problems.push(`version: expected ${STATE_DOCUMENT_VERSION}, got ${JSON.stringify(version)}`);
  }
  if (doc.wfctl_version !== undefined && typeof doc.wfctl_version !== "string") {
    problems.push("wfctl_version: expected a string");
  }
  const resources: ResourceState[] = [];
  if (!Array.isArray(doc.resources)) {
    problems.push("resources: expected an array");
  } else {
    const seen = new Set<string>();
    doc.resources.forEach((raw: unknown, i) => {
      const at = `resources[${i}]`;
      const parsed = parseResource(raw, at, problems);
      if (!parsed) return;
      if (seen.has(parsed.name)) problems.push(`${at}.name: "${parsed.name}" appears twice`);
      seen.add(parsed.name);
      resources.push(parsed);
    });
  }
  if (problems.length > 0) {
    throw new WfError("WF_ERR_STATE", `${source} is not valid: ${problems.join("; ")}`);
  }
  return {
    version: STATE_DOCUMENT_VERSION,
    ...(typeof doc.wfctl_version === "string" ? { wfctl_version: doc.wfctl_version } : {}),
    resources,
  };
}

function parseResource(raw: unknown, at: string, problems: string[]): ResourceState | undefined {
  if (!isRecord(raw)) {
    problems.push(`${at}: expected an object`);
    return undefined;
  }
  const before = problems.length;
  for (const key of requiredStrings) {
    if (typeof raw[key] !== "string") problems.push(`${at}.${key}: expected a string`);
  }
  if (typeof raw.name === "string" && raw.name === "") problems.push(`${at}.name: is empty`);
  for (const key of optionalStrings) {
    if (raw[key] !== undefined && typeof raw[key] !== "string") {
      problems.push(`${at}.${key}: expected a string`);
    }
  }
  for (const key of ["applied_config", "outputs"] as const) {
    if (!isRecord(raw[key])) problems.push(`${at}.${key}: expected an object`);
  }
  const deps = raw.dependencies;
  if (!Array.isArray(deps) || !deps.every((d) => typeof d === "string")) {
    problems.push(`${at}.dependencies: expected an array of names`);
  }
  const source = raw.applied_config_source;
  if (source !== undefined && !(appliedConfigSources as readonly unknown[]).includes(source)) {
    problems.push(
      `${at}.applied_config_source: expected one of ${appliedConfigSources.join(", ")}`,
    );
  }
  if (problems.length > before) return undefined;
  const text = (key: string) => raw[key] as string;
  return {
    id: text("id"),
    name: text("name"),
    type: text("type"),
    provider: text("provider"),
    ...(raw.provider_ref !== undefined ? { provider_ref: text("provider_ref") } : {}),
    provider_id: text("provider_id"),
    config_hash: text("config_hash"),
    applied_config: raw.applied_config as Json,
    ...(source !== undefined ? { applied_config_source: source as AppliedConfigSource } : {}),
    outputs: raw.outputs as Json,
    dependencies: deps as string[],
    created_at: text("created_at"),
    updated_at: text("updated_at"),
    ...(raw.last_drift_check !== undefined ? { last_drift_check: text("last_drift_check") } : {}),
  };
}
