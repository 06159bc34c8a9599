import type { CallOptions } from "./call-options.js";

/** Direct pipeline invocation for in-process callers, without HTTP. */
export interface PipelineExecutor {
  /**
   * Runs pipeline `name` with `data` as trigger data and resolves to its
   * `_pipeline_output` if a step set one, else its merged `current`.
   */
  executePipeline(
    name: string,
    data: Record<string, unknown>,
    opts?: CallOptions,
  ): Promise<Record<string, unknown>>;
}
