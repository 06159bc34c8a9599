import { parseDuration } from "../../config/index.js";
import { namedNested, runNested } from "./nested-run.js";
import type { StepFactory } from "./step-factory.js";

/**
 * `step.retry_with_backoff`: runs the nested step; a failure is retried up to
 * `max_retries` times, waiting `initial_delay` × `multiplier`^n (at most
 * `max_delay`). Its output gains `retry_attempts` (0 when the first try worked).
 */
export const retryStep: StepFactory = (ctx) => {
  const c = ctx.config;
  const [step] = ctx.services.buildNested(
    ["step"],
    namedNested(ctx.name, [c.step as Record<string, unknown>]),
  );
  const maxRetries = typeof c.max_retries === "number" ? c.max_retries : 3;
  const initial = parseDuration(String(c.initial_delay ?? "1s")) ?? 1000;
  const max = parseDuration(String(c.max_delay ?? "30s")) ?? 30_000;
  const multiplier = typeof c.multiplier === "number" ? c.multiplier : 2;
  return {
    name: () => ctx.name,
    execute: async (pc, opts = {}) => {
      for (let attempt = 0; ; attempt++) {
        try {
          const output = await runNested([step as NonNullable<typeof step>], pc, opts);
          return { output: { ...output, retry_attempts: attempt } };
        } catch (err) {
          if (attempt >= maxRetries || opts.signal?.aborted) {
            throw new Error(`failed after ${attempt + 1} attempt(s): ${(err as Error).message}`, {
              cause: err,
            });
          }
          const delay = Math.min(max, initial * multiplier ** attempt);
          pc.logger?.warn(
            { step: ctx.name, attempt: attempt + 1, delay_ms: delay, err: (err as Error).message },
            "retrying",
          );
          await sleep(delay, opts.signal);
        }
      }
    },
  };
};

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
