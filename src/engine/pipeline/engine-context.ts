import { PipelineContext } from "../../contracts/index.js";
import { buildTemplateView, mergeIntoView } from "./template-view.js";

/**
 * The engine's PipelineContext: the same data, plus the template view of it, built
 * on first use and kept up to date by each merge instead of being copied again.
 */
export class EngineContext extends PipelineContext {
  #view: Record<string, unknown> | undefined;

  templateView(): Record<string, unknown> {
    this.#view ??= buildTemplateView(this);
    return this.#view;
  }

  override mergeStepOutput(
    stepName: string,
    output: Readonly<Record<string, unknown>> | null | undefined,
  ): void {
    super.mergeStepOutput(stepName, output);
    if (this.#view && output) mergeIntoView(this.#view, output);
  }
}
