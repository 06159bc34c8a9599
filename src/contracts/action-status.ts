/**
 * Per-action outcomes of an apply. The numeric values 0–6 are the plugin wire and
 * must stay in lockstep with the proto's ActionStatus; the CLI's JSON uses the
 * lower-case names instead.
 */

export const ActionStatus = Object.freeze({
  /** Zero value; the engine must replace it, and wfctl rejects outcomes left at it. */
  Unspecified: 0,
  Success: 1,
  Error: 2,
  DeleteFailed: 3,
  /** Reserved: the engine does not emit it; plugins with their own compensation may. */
  Compensated: 4,
  /** A post-driver hook failed: cloud-side work is done, an operator must verify it. */
  CompensationFailed: 5,
  /** Never attempted at the driver (cancelled, substitution or driver lookup failed). */
  Skipped: 6,
} as const);
export type ActionStatus = (typeof ActionStatus)[keyof typeof ActionStatus];

// The seed's constant names.
export const ActionStatusUnspecified = ActionStatus.Unspecified;
export const ActionStatusSuccess = ActionStatus.Success;
export const ActionStatusError = ActionStatus.Error;
export const ActionStatusDeleteFailed = ActionStatus.DeleteFailed;
export const ActionStatusCompensated = ActionStatus.Compensated;
export const ActionStatusCompensationFailed = ActionStatus.CompensationFailed;
export const ActionStatusSkipped = ActionStatus.Skipped;

/** Lower-case names, indexed by status value. */
export const actionStatusNames = Object.freeze([
  "unspecified",
  "success",
  "error",
  "delete_failed",
  "compensated",
  "compensation_failed",
  "skipped",
] as const);
export type ActionStatusName = (typeof actionStatusNames)[number];

export function isActionStatus(x: unknown): x is ActionStatus {
  return typeof x === "number" && Number.isInteger(x) && x >= 0 && x < actionStatusNames.length;
}

/** The lower-case name of `s`; throws a RangeError for a value outside 0–6. */
export function actionStatusName(s: ActionStatus): ActionStatusName {
  const name = isActionStatus(s) ? actionStatusNames[s] : undefined;
  if (name === undefined) {
    throw new RangeError(`unknown action status ${String(s)}`);
  }
  return name;
}

/** The status a lower-case name denotes, or undefined for an unknown name. */
export function parseActionStatus(name: string): ActionStatus | undefined {
  const index = (actionStatusNames as readonly string[]).indexOf(name);
  return index < 0 ? undefined : (index as ActionStatus);
}

/**
 * True when the action did not reach its desired end state. Since the Phase 2.3
 * reclassification that is Error, DeleteFailed, CompensationFailed or Skipped, not
 * Error alone.
 */
export function isFailedActionStatus(s: ActionStatus): boolean {
  return (
    s === ActionStatus.Error ||
    s === ActionStatus.DeleteFailed ||
    s === ActionStatus.CompensationFailed ||
    s === ActionStatus.Skipped
  );
}

/** Outcome of one PlanAction, matched back to the plan by `action_index`. Plugin wire form. */
export interface ActionOutcome {
  action_index: number;
  status: ActionStatus;
  error?: string;
}

/** The CLI's JSON form of an ActionOutcome: the status by name. */
export interface ActionOutcomeJSON {
  action_index: number;
  status: ActionStatusName;
  error?: string;
}

export function actionOutcomeToJSON(o: ActionOutcome): ActionOutcomeJSON {
  const json: ActionOutcomeJSON = {
    action_index: o.action_index,
    status: actionStatusName(o.status),
  };
  if (o.error !== undefined && o.error !== "") {
    json.error = o.error;
  }
  return json;
}

/** Throws a RangeError when the status name is unknown. */
export function actionOutcomeFromJSON(j: ActionOutcomeJSON): ActionOutcome {
  const status = parseActionStatus(j.status);
  if (status === undefined) {
    throw new RangeError(`unknown action status "${String(j.status)}"`);
  }
  const outcome: ActionOutcome = { action_index: j.action_index, status };
  if (j.error !== undefined && j.error !== "") {
    outcome.error = j.error;
  }
  return outcome;
}
