import type { CallOptions, PipelineContext, PipelineStep } from "../../contracts/index.js";
import { EngineContext } from "../pipeline/engine-context.js";

/**
 * A context for nested steps: the parent's current data (plus `extra`) as trigger
 * data, the parent's metadata, strictness and logger. Their outputs stay in it.
 */
export function childContext(
  parent: PipelineContext,
  extra: Record<string, unknown> = {},
): PipelineContext {
  const child = new EngineContext({ ...parent.current, ...extra }, parent.metadata);
  child.strictTemplates = parent.strictTemplates;
  child.logger = parent.logger;
  return child;
}

/**
 * Runs `steps` in order in `pc` (no guards or jumps inside nested steps; `stop`
 * ends them) and returns what they output, merged.
 */
export async function runNested(
  steps: readonly PipelineStep[],
  pc: PipelineContext,
  opts: CallOptions,
): Promise<Record<string, unknown>> {
  const merged: Record<string, unknown> = {};
  for (const step of steps) {
    opts.signal?.throwIfAborted();
    const result = await step.execute(pc, opts);
    if (result.skipped) continue;
    const output = result.output ?? {};
    pc.mergeStepOutput(step.name(), output);
    Object.assign(merged, output);
    if (result.stop) break;
  }
  return merged;
}

/** Nested step configs with a name each (`<parent>[i]` when the config gives none). */
export function namedNested(
  parent: string,
  configs: readonly Record<string, unknown>[],
): { name: string; type: string; config: Record<string, unknown> }[] {
  return configs.map((c, i) => ({
    name: typeof c.name === "string" ? c.name : `${parent}[${i}]`,
    type: String(c.type),
    config: (c.config as Record<string, unknown> | undefined) ?? {},
  }));
}
