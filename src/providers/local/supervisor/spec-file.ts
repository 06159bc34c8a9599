import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  SUPERVISOR_FILES,
  SUPERVISOR_PROTOCOL_VERSION,
  type SupervisorSpec,
} from "./supervisor-protocol.js";

/** Reads and checks `spec.json`; throws a message naming the file and what is wrong. */
export function readSpecFile(resourceDir: string): SupervisorSpec {
  const path = join(resourceDir, SUPERVISOR_FILES.spec);
  const parsed: unknown = JSON.parse(readFileSync(path, "utf8"));
  if (typeof parsed !== "object" || parsed === null) throw new Error(`${path}: not a JSON object`);
  const spec = parsed as Partial<SupervisorSpec>;
  if (spec.version !== SUPERVISOR_PROTOCOL_VERSION) {
    throw new Error(
      `${path}: protocol version ${String(spec.version)} is not supported (this supervisor speaks ${SUPERVISOR_PROTOCOL_VERSION}); upgrade wfctl`,
    );
  }
  if (!Array.isArray(spec.groups) || typeof spec.generation !== "number") {
    throw new Error(`${path}: "groups" and "generation" are required`);
  }
  return spec as SupervisorSpec;
}

/** Write-then-rename, so readers never see a half-written file. */
export function writeJsonAtomic(path: string, value: unknown): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, path);
}
