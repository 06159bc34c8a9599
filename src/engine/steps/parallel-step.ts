import { childContext, namedNested, runNested } from "./nested-run.js";
import type { StepFactory } from "./step-factory.js";

/**
 * `step.parallel`: runs each branch at once on its own copy of the data. Output
 * `{results, errors, completed, failed}` by branch name. `fail_fast` (default) fails
 * at the first failing branch and cancels the others; `collect_errors` fails only
 * when every branch failed.
 */
export const parallelStep: StepFactory = (ctx) => {
  const configs = namedNested(ctx.name, ctx.config.steps as Record<string, unknown>[]);
  const branches = ctx.services.buildNested(["steps"], configs);
  const collect = ctx.config.error_strategy === "collect_errors";
  return {
    name: () => ctx.name,
    execute: async (pc, opts = {}) => {
      const cancel = new AbortController();
      const signal = opts.signal ? AbortSignal.any([opts.signal, cancel.signal]) : cancel.signal;
      const results: Record<string, unknown> = {};
      const errors: Record<string, string> = {};
      await Promise.all(
        branches.map(async (branch) => {
          try {
            results[branch.name()] = await runNested([branch], childContext(pc), { signal });
          } catch (err) {
            errors[branch.name()] = (err as Error).message;
            if (!collect) {
              cancel.abort();
              throw new Error(`branch "${branch.name()}" failed: ${(err as Error).message}`, {
                cause: err,
              });
            }
          }
        }),
      );
      const failed = Object.keys(errors).length;
      if (failed === branches.length) {
        throw new Error(
          `every branch failed: ${Object.entries(errors)
            .map(([k, v]) => `${k}: ${v}`)
            .join("; ")}`,
        );
      }
      return { output: { results, errors, completed: branches.length - failed, failed } };
    },
  };
};
