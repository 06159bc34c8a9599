import { describe, expect, it } from "vitest";
import {
  asValidationError,
  type PipelineContext,
  type PipelineStep,
  type StepResult,
  ValidationError,
} from "../../../src/contracts/index.js";
import {
  type ConfiguredStep,
  ExecutionError,
  Pipeline,
  type PipelineDefinition,
} from "../../../src/engine/pipeline/pipeline.js";
import { LifecycleObserver } from "../../../src/engine/pipeline/pipeline-observer.js";
import { PipelineTimeoutError } from "../../../src/engine/pipeline/timeouts.js";

/** A step that runs `fn` and records that it ran. */
function step(
  name: string,
  fn: (pc: PipelineContext) => StepResult | Promise<StepResult> = () => ({
    output: { [name]: true },
  }),
): PipelineStep {
  return { name: () => name, execute: async (pc) => fn(pc) };
}

const configured = (s: PipelineStep, extra: Partial<ConfiguredStep> = {}): ConfiguredStep => ({
  step: s,
  type: "step.test",
  ...extra,
});

function pipeline(steps: ConfiguredStep[], extra: Partial<PipelineDefinition> = {}) {
  return new Pipeline(
    { name: "p", steps, compensation: [], onError: "stop", strictTemplates: false, ...extra },
    new LifecycleObserver(undefined, undefined),
  );
}

async function failure(p: Pipeline, data: Record<string, unknown> = {}): Promise<ExecutionError> {
  const err = await p.execute(data).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof ExecutionError))
    throw new Error(`expected an ExecutionError, got ${String(err)}`);
  return err;
}

describe("Pipeline execution", () => {
  it("merges each step's output into current in order, keeps trigger data apart, and returns current", async () => {
    const p = pipeline([
      configured(step("a", () => ({ output: { x: 1, y: 1 } }))),
      configured(step("b", (pc) => ({ output: { y: Number(pc.current.y) + 1 } }))),
    ]);
    const run = await p.execute({ x: 0, input: "i" });
    expect(run.output).toEqual({ x: 1, y: 2, input: "i" });
    expect(run.context.stepOutputs).toEqual({ a: { x: 1, y: 1 }, b: { y: 2 } });
    expect(run.context.triggerData).toEqual({ x: 0, input: "i" });
    expect(run.context.metadata.pipeline).toBe("p");
    expect(run.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("jumps on next_step and continues in order from there; stop ends successfully", async () => {
    const ran: string[] = [];
    const track = (name: string, result: StepResult = {}) =>
      step(name, () => {
        ran.push(name);
        return result;
      });
    const p = pipeline([
      configured(track("route", { nextStep: "c" })),
      configured(track("b")),
      configured(track("c")),
      configured(track("d", { stop: true })),
      configured(track("e")),
    ]);
    await p.execute({});
    expect(ran).toEqual(["route", "c", "d"]);
    const unknown = pipeline([configured(step("r", () => ({ nextStep: "nowhere" })))]);
    expect((await failure(unknown)).message).toBe('step "r" routed to unknown step "nowhere"');
  });

  it("skips guarded steps without recording them", async () => {
    const p = pipeline([
      configured(step("a"), { skipIf: () => true }),
      configured(step("b"), { runIf: () => false }),
      configured(step("c")),
    ]);
    const run = await p.execute({});
    expect(Object.keys(run.context.stepOutputs)).toEqual(["c"]);
  });

  it("stops at a failing step with `step NAME failed:`; skip and continue carry on with _error", async () => {
    const boom = step("boom", () => {
      throw new Error("kaput");
    });
    expect((await failure(pipeline([configured(boom), configured(step("after"))]))).message).toBe(
      'step "boom" failed: kaput',
    );
    const skipped = await pipeline([configured(boom), configured(step("after"))], {
      onError: "skip",
    }).execute({});
    expect(skipped.context.stepOutputs.boom).toEqual({ _error: "kaput", _skipped: true });
    expect(skipped.context.stepOutputs.after).toEqual({ after: true });
    const continued = await pipeline([
      configured(boom, { onError: "continue" }),
      configured(step("after")),
    ]).execute({});
    expect(continued.context.stepOutputs.after).toEqual({ after: true });
    // A step's on_error: stop wins over the pipeline's skip.
    const stopped = pipeline([configured(boom, { onError: "stop" }), configured(step("after"))], {
      onError: "skip",
    });
    expect((await failure(stopped)).message).toBe('step "boom" failed: kaput');
  });

  it("compensates in reverse order, and says whether compensation failed too", async () => {
    const undone: string[] = [];
    const undo = (name: string, fail = false) =>
      configured(
        step(name, () => {
          undone.push(name);
          if (fail) throw new Error("cannot undo");
          return {};
        }),
      );
    const boom = configured(
      step("charge", () => {
        throw new Error("declined");
      }),
    );
    const p = pipeline([configured(step("reserve")), boom], {
      onError: "compensate",
      compensation: [undo("release"), undo("notify")],
    });
    expect((await failure(p)).message).toBe(
      'step "charge" failed: declined (compensation executed)',
    );
    expect(undone).toEqual(["notify", "release"]);
    const bad = pipeline([boom], { onError: "compensate", compensation: [undo("release", true)] });
    expect((await failure(bad)).message).toBe(
      'step "charge" failed: declined (compensation also failed: release: cannot undo)',
    );
  });

  it("turns a failure into a ValidationError with error_status, keeping one already raised", async () => {
    const plain = step("v", () => {
      throw new Error("bad input");
    });
    const err = await failure(pipeline([configured(plain, { errorStatus: 422 })]));
    expect(asValidationError(err)?.status).toBe(422);
    const own = step("v", () => {
      throw new ValidationError("name is required", 400, { field: "name" });
    });
    const kept = asValidationError(
      await failure(pipeline([configured(own, { errorStatus: 422 })])),
    );
    expect([kept?.status, kept?.field]).toEqual([400, "name"]);
  });

  it("enforces the pipeline timeout and a step's own timeout, even for a step that ignores its signal", async () => {
    const slow = step("slow", () => new Promise((resolve) => setTimeout(() => resolve({}), 500)));
    const whole = await failure(pipeline([configured(slow)], { timeoutMs: 50 }));
    expect(whole.cause).toBeInstanceOf(PipelineTimeoutError);
    expect(whole.message).toBe('pipeline "p" timed out after 50ms');
    const own = await failure(pipeline([configured(slow, { timeoutMs: 30 })]));
    expect(own.message).toBe('step "slow" failed: step "slow" timed out after 30ms');
  });

  it("stops a next_step loop instead of running forever", async () => {
    const loop = pipeline([configured(step("again", () => ({ nextStep: "again" })))]);
    expect((await failure(loop)).message).toContain("a next_step loop?");
  });

  it("records execution and step events through the event recorder", async () => {
    const events: [string, Record<string, unknown>][] = [];
    const p = pipeline([configured(step("a")), configured(step("b"), { skipIf: () => true })]);
    p.setEventRecorder({ recordEvent: async (_id, type, data) => void events.push([type, data]) });
    await p.execute({ k: 1 });
    expect(events.map(([type]) => type)).toEqual([
      "execution.started",
      "step.started",
      "step.completed",
      "step.skipped",
      "execution.completed",
    ]);
    expect(events[0]?.[1]).toMatchObject({ pipeline: "p", step_count: 2, trigger_data: { k: 1 } });
  });

  it("marks a traced execution in its start event, and only a traced one", async () => {
    const started: Record<string, unknown>[] = [];
    const p = pipeline([configured(step("a"))]);
    p.setEventRecorder({
      recordEvent: async (_id, type, data) => {
        if (type === "execution.started") started.push(data);
      },
    });
    await p.execute({}, { trace: true });
    await p.execute({});
    expect(started.map((data) => data.trace)).toEqual([true, undefined]);
  });
});
