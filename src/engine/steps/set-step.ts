import type { StepFactory } from "./step-factory.js";
import { render } from "./step-runtime.js";

/** `step.set`: outputs `values` with their templates rendered. */
export const setStep: StepFactory = (ctx) => {
  const values = ctx.compile(["values"]);
  return {
    name: () => ctx.name,
    execute: async (pc) => ({ output: render(pc, values) as Record<string, unknown> }),
  };
};
