import { isTruthy } from "../templates/index.js";
import { pathTemplate } from "./data-path-template.js";
import { childContext, namedNested, runNested } from "./nested-run.js";
import type { StepFactory } from "./step-factory.js";
import { render } from "./step-runtime.js";

/**
 * `step.foreach`: runs the nested steps once per item of `collection`, each in its
 * own copy of the data with the item under `item_var` (default `item`) and its
 * position under `index_key`. `concurrency` items at once (0: one by one).
 * Output `{results, count}` (+ `error_count` with `collect_errors`).
 */
export const foreachStep: StepFactory = (ctx) => {
  const c = ctx.config;
  const text = String(c.collection);
  const collection = ctx.compile(["collection"], text.includes("{{") ? text : pathTemplate(text));
  const itemVar = String(c.item_var ?? c.item_key ?? "item");
  const indexKey = String(c.index_key ?? "index");
  const configs =
    c.steps !== undefined
      ? (c.steps as Record<string, unknown>[])
      : [c.step as Record<string, unknown>];
  const steps = ctx.services.buildNested(
    c.steps !== undefined ? ["steps"] : ["step"],
    namedNested(ctx.name, configs),
  );
  const concurrency = typeof c.concurrency === "number" && c.concurrency > 0 ? c.concurrency : 1;
  const collect = c.error_strategy === "collect_errors";
  return {
    name: () => ctx.name,
    execute: async (pc, opts = {}) => {
      const items = render(pc, collection);
      if (items === undefined || items === null || (!Array.isArray(items) && !isTruthy(items))) {
        return { output: { results: [], count: 0 } };
      }
      if (!Array.isArray(items)) throw new Error(`collection is not a list (got ${typeof items})`);
      const results: unknown[] = new Array(items.length);
      let errors = 0;
      let next = 0;
      const worker = async () => {
        while (next < items.length) {
          const i = next++;
          try {
            results[i] = await runNested(
              steps,
              childContext(pc, { [itemVar]: items[i], [indexKey]: i }),
              opts,
            );
          } catch (err) {
            if (!collect) throw new Error(`item ${i}: ${(err as Error).message}`, { cause: err });
            errors++;
            results[i] = { error: (err as Error).message };
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
      return {
        output: { results, count: items.length, ...(collect ? { error_count: errors } : {}) },
      };
    },
  };
};
