import { parseDuration } from "../../config/index.js";
import type { StepFactory } from "./step-factory.js";
import { ownPath, render } from "./step-runtime.js";

/**
 * `step.workflow_call`: runs another pipeline with `input` (default: the current
 * data). `sync` waits (bounded by `timeout`, default 30s) and outputs the result as
 * `result`, or the `output_mapping` paths into the callee's data; `async` starts it
 * and outputs `{workflow, mode, dispatched}` at once (failures are logged).
 */
export const workflowCallStep: StepFactory = (ctx) => {
  const c = ctx.config;
  const workflow = String(c.workflow);
  const input = c.input === undefined ? undefined : ctx.compile(["input"]);
  const timeout = c.timeout === undefined ? undefined : ctx.compile(["timeout"]);
  const mapping = c.output_mapping as Readonly<Record<string, string>> | undefined;
  const async = c.mode === "async";
  return {
    name: () => ctx.name,
    execute: async (pc, opts = {}) => {
      const data = input ? (render(pc, input) as Record<string, unknown>) : { ...pc.current };
      if (async) {
        ctx.services
          .callPipeline(workflow, data)
          .catch((err: Error) =>
            ctx.services.logger.error(
              { step: ctx.name, workflow, err: err.message },
              "async workflow_call failed",
            ),
          );
        return {
          output: { workflow, mode: "async", dispatched: true },
          ...(c.stop_pipeline ? { stop: true } : {}),
        };
      }
      const limitText = timeout ? String(render(pc, timeout)) : "30s";
      const limit = parseDuration(limitText);
      if (limit === undefined) throw new Error(`timeout "${limitText}" is not a duration`);
      const signal = AbortSignal.any([
        AbortSignal.timeout(limit),
        ...(opts.signal ? [opts.signal] : []),
      ]);
      const called = await ctx.services.callPipeline(workflow, data, { signal });
      const output = mapping
        ? Object.fromEntries(
            Object.entries(mapping).map(([key, path]) => [
              key,
              ownPath({ ...called.current, steps: called.steps, current: called.current }, path),
            ]),
          )
        : { result: called.output };
      return { output, ...(c.stop_pipeline ? { stop: true } : {}) };
    },
  };
};
