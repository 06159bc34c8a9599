import { describe, expect, it } from "vitest";
import {
  type ActionOutcomeJSON,
  ActionStatus,
  ActionStatusCompensated,
  ActionStatusCompensationFailed,
  ActionStatusDeleteFailed,
  ActionStatusError,
  ActionStatusSkipped,
  ActionStatusSuccess,
  ActionStatusUnspecified,
  type ApplyResult,
  actionOutcomeFromJSON,
  actionOutcomeToJSON,
  actionStatusName,
  actionStatusNames,
  applyResultFromJSON,
  applyResultToJSON,
  isActionStatus,
  isFailedActionStatus,
  parseActionStatus,
} from "../../src/contracts/index.js";

describe("ActionStatus", () => {
  it("has the proto's values 0-6", () => {
    expect([
      ActionStatusUnspecified,
      ActionStatusSuccess,
      ActionStatusError,
      ActionStatusDeleteFailed,
      ActionStatusCompensated,
      ActionStatusCompensationFailed,
      ActionStatusSkipped,
    ]).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(ActionStatus.CompensationFailed).toBe(5);
    expect(Object.isFrozen(ActionStatus)).toBe(true);
  });

  it("names round-trip", () => {
    expect([...actionStatusNames]).toEqual([
      "unspecified",
      "success",
      "error",
      "delete_failed",
      "compensated",
      "compensation_failed",
      "skipped",
    ]);
    for (let s = 0; s <= 6; s++) {
      expect(isActionStatus(s)).toBe(true);
      const status = s as ActionStatus;
      expect(parseActionStatus(actionStatusName(status))).toBe(status);
    }
  });

  it("rejects unknown values and names", () => {
    expect(isActionStatus(7)).toBe(false);
    expect(isActionStatus(-1)).toBe(false);
    expect(isActionStatus(1.5)).toBe(false);
    expect(isActionStatus("1")).toBe(false);
    expect(() => actionStatusName(7 as ActionStatus)).toThrow(RangeError);
    expect(parseActionStatus("SUCCESS")).toBeUndefined();
    expect(parseActionStatus("")).toBeUndefined();
  });

  it("classifies failures per the Phase 2.3 reclassification", () => {
    const failed = [0, 1, 2, 3, 4, 5, 6].filter((s) => isFailedActionStatus(s as ActionStatus));
    expect(failed).toEqual([
      ActionStatusError,
      ActionStatusDeleteFailed,
      ActionStatusCompensationFailed,
      ActionStatusSkipped,
    ]);
  });
});

describe("ActionOutcome JSON forms", () => {
  it("uses names in the CLI form and numbers on the wire", () => {
    const json = actionOutcomeToJSON({
      action_index: 2,
      status: ActionStatus.DeleteFailed,
      error: "boom",
    });
    expect(json).toEqual({ action_index: 2, status: "delete_failed", error: "boom" });
    expect(actionOutcomeFromJSON(json)).toEqual({ action_index: 2, status: 3, error: "boom" });
  });

  it("omits an empty error", () => {
    expect(actionOutcomeToJSON({ action_index: 0, status: 1, error: "" })).toEqual({
      action_index: 0,
      status: "success",
    });
  });

  it("rejects an unknown status name", () => {
    const bad = { action_index: 0, status: "done" } as unknown as ActionOutcomeJSON;
    expect(() => actionOutcomeFromJSON(bad)).toThrow('unknown action status "done"');
  });

  it("converts a whole ApplyResult both ways", () => {
    const result: ApplyResult = {
      plan_id: "p1",
      resources: [
        {
          name: "web",
          type: "infra.container_service",
          provider_id: "x",
          outputs: {},
          status: "running",
        },
      ],
      replace_id_map: { web: "x" },
      actions: [
        { action_index: 0, status: ActionStatus.Success },
        { action_index: 1, status: ActionStatus.Skipped, error: "cancelled" },
      ],
    };
    const json = applyResultToJSON(result);
    expect(json.actions).toEqual([
      { action_index: 0, status: "success" },
      { action_index: 1, status: "skipped", error: "cancelled" },
    ]);
    expect(json.replace_id_map).toEqual({ web: "x" });
    expect(applyResultFromJSON(JSON.parse(JSON.stringify(json)))).toEqual(result);
    expect(applyResultToJSON({ plan_id: "p", resources: [] })).toEqual({
      plan_id: "p",
      resources: [],
    });
  });
});
