import { describe, expect, it } from "vitest";
import {
  DriftClass,
  DriftClassConfig,
  DriftClassGhost,
  DriftClassInSync,
  DriftClassUnknown,
  driftClasses,
  isDriftClass,
  isPlanDiagnosticSeverity,
  PlanDiagnosticError,
  PlanDiagnosticInfo,
  PlanDiagnosticSeverity,
  PlanDiagnosticWarning,
  parsePlanDiagnosticSeverity,
  planDiagnosticSeverityName,
} from "../../src/contracts/index.js";

describe("DriftClass", () => {
  it("has the seed's string values", () => {
    expect([DriftClassUnknown, DriftClassInSync, DriftClassGhost, DriftClassConfig]).toEqual([
      "",
      "in-sync",
      "ghost",
      "config",
    ]);
    expect(DriftClass.Ghost).toBe("ghost");
    expect([...driftClasses]).toEqual(["", "in-sync", "ghost", "config"]);
  });

  it("checks values at runtime", () => {
    expect(isDriftClass("in-sync")).toBe(true);
    expect(isDriftClass("")).toBe(true);
    expect(isDriftClass("in_sync")).toBe(false);
    expect(isDriftClass(undefined)).toBe(false);
  });
});

describe("PlanDiagnosticSeverity", () => {
  it("is info=0, warning=1, error=2", () => {
    expect([PlanDiagnosticInfo, PlanDiagnosticWarning, PlanDiagnosticError]).toEqual([0, 1, 2]);
    expect(PlanDiagnosticSeverity.Error).toBe(2);
  });

  it("names round-trip", () => {
    expect([0, 1, 2].map((s) => planDiagnosticSeverityName(s as PlanDiagnosticSeverity))).toEqual([
      "info",
      "warning",
      "error",
    ]);
    for (const name of ["info", "warning", "error"]) {
      const s = parsePlanDiagnosticSeverity(name);
      expect(s).toBeDefined();
      expect(planDiagnosticSeverityName(s as PlanDiagnosticSeverity)).toBe(name);
    }
    expect(parsePlanDiagnosticSeverity("fatal")).toBeUndefined();
    expect(isPlanDiagnosticSeverity(3)).toBe(false);
    expect(() => planDiagnosticSeverityName(3 as PlanDiagnosticSeverity)).toThrow(RangeError);
  });
});
