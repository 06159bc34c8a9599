import { PipelineContext } from "../../contracts/index.js";
import type { TemplateData } from "../templates/template-api.js";

/**
 * The engine's PipelineContext: the same data, plus the template view of it kept
 * until the next merge, so the steps between two merges render against one copy.
 */
export class EngineContext extends PipelineContext {
  /** Built by step-runtime's templateDataOf; dropped by every merge. */
  templateData: TemplateData | undefined;

  override mergeStepOutput(
    stepName: string,
    output: Readonly<Record<string, unknown>> | null | undefined,
  ): void {
    super.mergeStepOutput(stepName, output);
    this.templateData = undefined;
  }
}
