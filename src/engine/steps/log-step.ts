import type { StepFactory } from "./step-factory.js";
import { render, tenantSlug } from "./step-runtime.js";

type Level = "debug" | "info" | "warn" | "error";

/** `step.log`: one log line at `level`, tagged with the pipeline and execution. */
export const logStep: StepFactory = (ctx) => {
  const message = ctx.compile(["message"]);
  const level = (ctx.config.level as Level | undefined) ?? "info";
  return {
    name: () => ctx.name,
    execute: async (pc) => {
      const value = render(pc, message);
      const text = typeof value === "string" ? value : value == null ? "" : JSON.stringify(value);
      const logger = pc.logger ?? ctx.services.logger;
      logger[level](
        {
          pipeline: pc.metadata.pipeline,
          execution_id: pc.metadata.execution_id,
          ...(pc.metadata.tenant_id ? { tenant: tenantSlug(pc) } : {}),
          step: ctx.name,
        },
        text,
      );
      return { output: {} };
    },
  };
};
