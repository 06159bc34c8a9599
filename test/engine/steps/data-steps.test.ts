import { describe, expect, it } from "vitest";
import { registerDataSteps } from "../../../src/engine/steps/data-steps.js";
import { StepTypeRegistry } from "../../../src/engine/steps/step-registry.js";

describe("registerDataSteps", () => {
  it("registers each data step under its type name", () => {
    const registry = new StepTypeRegistry();
    registerDataSteps(registry);
    expect(registry.types()).toEqual([
      "step.db_exec",
      "step.db_query",
      "step.http_call",
      "step.publish",
      "step.transform",
      "step.validate",
    ]);
  });
});
