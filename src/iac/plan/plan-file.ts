import { randomBytes } from "node:crypto";
import { open, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";
import { type IaCPlan, isPlanActionKind } from "../../contracts/index.js";
import { toError, WfError } from "../../diagnostics/index.js";
import { isRecord } from "../../is-record.js";

/**
 * The file `wfctl infra plan -o FILE` writes and `apply --plan FILE` reads:
 * `{version, plan, provider_of}`. Written atomically with mode 0600 (a plan holds
 * state outputs). A newer format version is refused, naming it.
 */
export const PLAN_FILE_VERSION = 1;

export interface PlanFile {
  readonly plan: IaCPlan;
  /** Resource name → provider module, for every action. */
  readonly providerOf: Readonly<Record<string, string>>;
}

export async function writePlanFile(
  file: string,
  plan: IaCPlan,
  providerOf: Readonly<Record<string, string>>,
): Promise<void> {
  const body = `${JSON.stringify({ version: PLAN_FILE_VERSION, plan, provider_of: providerOf }, null, 2)}\n`;
  const dir = path.dirname(file);
  const tmp = path.join(
    dir,
    `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`,
  );
  try {
    const handle = await open(tmp, "wx", 0o600);
    try {
      await handle.writeFile(body);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw new WfError(
      "WF_ERR_PLAN_FILE",
      `cannot write plan file "${file}": ${toError(err).message}`,
      {
        cause: err,
      },
    );
  }
  await syncDirectory(dir);
}

export async function readPlanFile(file: string): Promise<PlanFile> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === "ENOENT";
    throw new WfError(
      "WF_ERR_PLAN_FILE",
      missing
        ? `plan file "${file}" not found; write one with: wfctl infra plan -o ${file}`
        : `cannot read plan file "${file}": ${toError(err).message}`,
      { cause: err },
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw damaged(file, `not JSON: ${toError(err).message}`);
  }
  return parsePlanFile(data, file);
}

function parsePlanFile(data: unknown, file: string): PlanFile {
  if (!isRecord(data)) throw damaged(file, "not a JSON object");
  const { version, plan, provider_of: providerOf } = data;
  if (typeof version !== "number" || !Number.isInteger(version) || version < 1) {
    throw damaged(file, "no format version");
  }
  if (version > PLAN_FILE_VERSION) {
    const writer =
      isRecord(plan) && isRecord(plan.generator_metadata)
        ? plan.generator_metadata.wfctl_version
        : undefined;
    throw new WfError(
      "WF_ERR_STATE_VERSION",
      `plan file "${file}" has format version ${version}${typeof writer === "string" ? ` (written by wfctl ${writer})` : ""}; this wfctl reads format version ${PLAN_FILE_VERSION} — upgrade wfctl, or re-run plan with this one`,
    );
  }
  if (!isRecord(plan) || typeof plan.id !== "string" || !Array.isArray(plan.actions)) {
    throw damaged(file, "no plan with an id and actions");
  }
  if (!isRecord(providerOf) || !Object.values(providerOf).every((p) => typeof p === "string")) {
    throw damaged(file, "no provider_of map");
  }
  plan.actions.forEach((action: unknown, i) => {
    const problem = actionProblem(action, providerOf);
    if (problem !== undefined) throw damaged(file, `action ${i + 1}: ${problem}`);
  });
  return {
    plan: plan as unknown as IaCPlan,
    providerOf: providerOf as Readonly<Record<string, string>>,
  };
}

function actionProblem(action: unknown, providerOf: Record<string, unknown>): string | undefined {
  if (!isRecord(action) || !isPlanActionKind(action.action)) return "no valid action kind";
  const resource = action.resource;
  if (
    !isRecord(resource) ||
    typeof resource.name !== "string" ||
    typeof resource.type !== "string"
  ) {
    return "no resource name and type";
  }
  if (!isRecord(resource.config)) return `resource "${resource.name}" has no config object`;
  if (typeof providerOf[resource.name] !== "string") {
    return `resource "${resource.name}" has no provider in provider_of`;
  }
  return undefined;
}

function damaged(file: string, reason: string): WfError {
  return new WfError(
    "WF_ERR_PLAN_FILE",
    `plan file "${file}" is damaged (${reason}); regenerate it with: wfctl infra plan -o ${file}`,
  );
}

/** Makes the rename itself durable; not every platform can open a directory, hence best effort. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // The file is complete either way; only its survival of a power cut is at stake.
  }
}
