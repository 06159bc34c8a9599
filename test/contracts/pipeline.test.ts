import { describe, expect, it } from "vitest";
import {
  newPipelineContext,
  PipelineContext,
  type PipelineStep,
  type StepResult,
} from "../../src/contracts/index.js";

describe("newPipelineContext", () => {
  it("seeds current and triggerData from copies of the trigger data", () => {
    const trigger = { id: 1, nested: { a: 1 } };
    const pc = newPipelineContext(trigger, { pipeline: "orders" });
    expect(pc).toBeInstanceOf(PipelineContext);
    expect(pc.triggerData).toEqual(trigger);
    expect(pc.current).toEqual(trigger);
    expect(pc.metadata).toEqual({ pipeline: "orders" });
    expect(pc.stepOutputs).toEqual({});
    expect(pc.strictTemplates).toBe(false);
    expect(pc.logger).toBeUndefined();

    trigger.id = 2;
    expect(pc.triggerData.id).toBe(1);
    expect(pc.current.id).toBe(1);
    // Shallow, as upstream: nested values are shared.
    expect(pc.current.nested).toBe(trigger.nested);
  });

  it("accepts missing trigger data and metadata", () => {
    const pc = newPipelineContext();
    expect(pc.triggerData).toEqual({});
    expect(pc.current).toEqual({});
    expect(pc.metadata).toEqual({});
  });

  it("copies metadata", () => {
    const md = { pipeline: "p" };
    const pc = newPipelineContext({}, md);
    pc.metadata.started_at = "2024-01-01T00:00:00Z";
    expect(md).toEqual({ pipeline: "p" });
  });
});

describe("trigger data", () => {
  it("is immutable", () => {
    const pc = newPipelineContext({ id: 1 }, {});
    expect(Object.isFrozen(pc.triggerData)).toBe(true);
    expect(() => {
      (pc.triggerData as Record<string, unknown>).id = 2;
    }).toThrow(TypeError);
    pc.mergeStepOutput("s", { id: 3 });
    expect(pc.triggerData).toEqual({ id: 1 });
  });
});

describe("mergeStepOutput", () => {
  it("records a copy of the output and shallow-merges it into current, later keys winning", () => {
    const pc = newPipelineContext({ a: 1, b: 1 }, {});
    const out1 = { b: 2, c: { deep: 1 } };
    pc.mergeStepOutput("one", out1);
    pc.mergeStepOutput("two", { c: 3, d: 4 });

    expect(pc.current).toEqual({ a: 1, b: 2, c: 3, d: 4 });
    expect(pc.stepOutputs).toEqual({ one: { b: 2, c: { deep: 1 } }, two: { c: 3, d: 4 } });

    out1.b = 99;
    expect(pc.stepOutputs.one).toEqual({ b: 2, c: { deep: 1 } });
    expect(pc.stepOutputs.one).not.toBe(out1);
  });

  it("replaces an earlier output recorded under the same step name", () => {
    const pc = newPipelineContext({}, {});
    pc.mergeStepOutput("s", { x: 1, y: 1 });
    pc.mergeStepOutput("s", { x: 2 });
    expect(pc.stepOutputs.s).toEqual({ x: 2 });
    expect(pc.current).toEqual({ x: 2, y: 1 });
  });

  it("records nothing for a missing output", () => {
    const pc = newPipelineContext({ a: 1 }, {});
    pc.mergeStepOutput("s", undefined);
    pc.mergeStepOutput("t", null);
    expect(pc.stepOutputs).toEqual({});
    expect(pc.current).toEqual({ a: 1 });
    pc.mergeStepOutput("u", {});
    expect(pc.stepOutputs).toEqual({ u: {} });
  });

  it("keeps a __proto__ key as data", () => {
    const pc = newPipelineContext(JSON.parse('{"__proto__": {"polluted": true}}'), {});
    pc.mergeStepOutput("__proto__", JSON.parse('{"__proto__": {"x": 1}}'));
    expect(Object.getPrototypeOf(pc.current)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(pc.stepOutputs)).toBe(Object.prototype);
    expect(Object.keys(pc.stepOutputs)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("PipelineStep", () => {
  it("runs against a context", async () => {
    const step: PipelineStep = {
      name: () => "set",
      execute: async (pc): Promise<StepResult> => ({ output: { seen: pc.current.id } }),
    };
    const pc = newPipelineContext({ id: 7 }, {});
    const result = await step.execute(pc);
    pc.mergeStepOutput(step.name(), result.output);
    expect(pc.current).toEqual({ id: 7, seen: 7 });
  });
});
