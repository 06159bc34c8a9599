import { describe, expect, it } from "vitest";
import { App } from "../../src/engine/app.js";
import { builtinSteps } from "../../src/engine/steps/builtin-steps.js";
import { loadTestConfig } from "./engine-harness.js";
import { recordingLogger } from "./steps/step-harness.js";

async function app(pipelines: string) {
  const config = await loadTestConfig(`pipelines:\n${pipelines}`);
  return App.build(config, { logger: recordingLogger(), steps: builtinSteps() });
}

const failing = "{ type: step.workflow_call, config: { workflow: missing } }";

describe("control steps", () => {
  it("step.workflow_call returns the callee's result, or the output_mapping paths into its data", async () => {
    const a = await app(`
  callee:
    steps:
      - name: calc
        type: step.set
        config: { values: { doubled: "{{ mul .n 2 }}" } }
  whole:
    steps:
      - name: call
        type: step.workflow_call
        config: { workflow: callee, input: { n: "{{ .x }}" } }
  mapped:
    steps:
      - name: call
        type: step.workflow_call
        config: { workflow: callee, input: { n: 4 }, output_mapping: { d: steps.calc.doubled, none: steps.nope.x } }
`);
    expect((await a.run("whole", { x: 3 })).context.stepOutputs.call).toEqual({
      result: { n: 3, doubled: 6 },
    });
    expect((await a.run("mapped", {})).context.stepOutputs.call).toEqual({ d: 8 });
  });

  it("step.foreach runs its steps per item with item and index; collect_errors keeps going", async () => {
    const a = await app(`
  each:
    steps:
      - name: loop
        type: step.foreach
        config:
          collection: items
          item_var: it
          step: { type: step.set, config: { values: { label: "{{ .index }}:{{ .it }}" } } }
  tolerant:
    steps:
      - name: loop
        type: step.foreach
        config:
          collection: items
          error_strategy: collect_errors
          steps:
            - { type: step.conditional, config: { field: item, routes: { a: x } } }
`);
    const each = await a.run("each", { items: ["a", "b"] });
    expect(each.context.stepOutputs.loop).toEqual({
      results: [{ label: "0:a" }, { label: "1:b" }],
      count: 2,
    });
    const tolerant = await a.run("tolerant", { items: ["a", "b"] });
    expect(tolerant.context.stepOutputs.loop).toMatchObject({ count: 2, error_count: 1 });
    await expect(a.run("each", { items: "nope" })).rejects.toThrow("collection is not a list");
  });

  it("step.parallel runs branches on copies; fail_fast fails, collect_errors reports", async () => {
    const a = await app(`
  both:
    steps:
      - name: fan
        type: step.parallel
        config:
          error_strategy: collect_errors
          steps:
            - { name: ok, type: step.set, config: { values: { v: "{{ .n }}" } } }
            - { name: bad, ${failing.slice(2)}
  fast:
    steps:
      - name: fan
        type: step.parallel
        config:
          steps:
            - { name: ok, type: step.set, config: { values: { v: 1 } } }
            - { name: bad, ${failing.slice(2)}
`);
    const both = await a.run("both", { n: 5 });
    expect(both.context.stepOutputs.fan).toMatchObject({
      results: { ok: { v: 5 } },
      completed: 1,
      failed: 1,
    });
    await expect(a.run("fast", {})).rejects.toThrow('branch "bad" failed');
  });

  it("step.retry_with_backoff retries up to max_retries and says how many attempts it made", async () => {
    const a = await app(`
  retry:
    steps:
      - name: r
        type: step.retry_with_backoff
        config: { max_retries: 2, initial_delay: 10ms, step: ${failing} }
  ok:
    steps:
      - name: r
        type: step.retry_with_backoff
        config: { step: { type: step.set, config: { values: { v: 1 } } } }
`);
    await expect(a.run("retry", {})).rejects.toThrow("failed after 3 attempt(s)");
    expect((await a.run("ok", {})).context.stepOutputs.r).toEqual({ v: 1, retry_attempts: 0 });
  });

  it("step.conditional with if/then/else jumps, and continues in order without else", async () => {
    const a = await app(`
  branch:
    steps:
      - name: check
        type: step.conditional
        config: { if: "{{ gt .n 10 }}", then: big }
      - name: small
        type: step.set
        config: { values: { size: small } }
      - name: big
        type: step.set
        config: { values: { big: true } }
`);
    expect((await a.run("branch", { n: 11 })).output).toMatchObject({ big: true, condition: true });
    expect((await a.run("branch", { n: 1 })).output).toMatchObject({ size: "small", big: true });
  });
});
