import { PIPELINE_OUTPUT } from "../http/http-exchange.js";
import { pathTemplate } from "./data-path-template.js";
import type { StepFactory } from "./step-factory.js";
import { render } from "./step-runtime.js";

/**
 * `step.pipeline_output`: the pipeline's result (`values`, the data at `source`, or
 * the current data) — what `wfctl pipeline run` prints, `step.workflow_call` gets and
 * an HTTP request receives when no step answered it. Ends the pipeline.
 */
export const pipelineOutputStep: StepFactory = (ctx) => {
  const c = ctx.config;
  const value =
    c.values !== undefined
      ? ctx.compile(["values"])
      : ctx.compile(["source"], pathTemplate(typeof c.source === "string" ? c.source : "."));
  return {
    name: () => ctx.name,
    execute: async (pc) => {
      const rendered = render(pc, value);
      const output =
        rendered !== null && typeof rendered === "object" && !Array.isArray(rendered)
          ? { ...(rendered as Record<string, unknown>) }
          : { value: rendered };
      pc.metadata[PIPELINE_OUTPUT] = output;
      return { output, stop: true };
    },
  };
};
