import type { PipelineContext } from "../../contracts/index.js";
import { EngineContext } from "../pipeline/engine-context.js";
import { buildTemplateView } from "../pipeline/template-view.js";
import type { CompiledValue, TemplateData } from "../templates/template-api.js";

export { TENANT, tenantSlug } from "../pipeline/template-view.js";

/** What templates of this execution see (see template-view.ts). */
export function templateDataOf(pc: PipelineContext): TemplateData {
  return pc instanceof EngineContext ? pc.templateView() : buildTemplateView(pc);
}

/** Renders a compiled config value for this execution (strictness from the pipeline). */
export function render(pc: PipelineContext, value: CompiledValue): unknown {
  if (!value.dynamic) return value.render({}, { strict: false });
  return value.render(templateDataOf(pc), {
    strict: pc.strictTemplates,
    onMissing: (path) =>
      pc.logger?.warn(
        { pipeline: pc.metadata.pipeline, path },
        `template: ${path} is missing; rendered as empty`,
      ),
  });
}

/**
 * The value a `*_from` key names: `.` is `current`; `steps.NAME.a.b`, `trigger.a`,
 * `meta.a`, or a key path into `current`. Own properties only; undefined when absent.
 */
export function valueAtPath(pc: PipelineContext, path: string): unknown {
  return dataPath(path)(pc);
}

/** valueAtPath with the path parsed once, when the step is built. */
export function dataPath(path: string): (pc: PipelineContext) => unknown {
  const trimmed = path.trim().replace(/^\./, "");
  if (trimmed === "") return (pc) => pc.current;
  const segments = trimmed.split(".");
  return (pc) => ownSegments(templateDataOf(pc), segments);
}

/** The value along a dotted path of own properties (never a prototype's); undefined when absent. */
export function ownPath(data: unknown, path: string): unknown {
  return ownSegments(data, path.split("."));
}

function ownSegments(data: unknown, segments: readonly string[]): unknown {
  let value = data;
  for (const segment of segments) {
    if (value === null || typeof value !== "object" || !Object.hasOwn(value, segment)) {
      return undefined;
    }
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}
