import type { PipelineContext } from "../../contracts/index.js";
import { EngineContext } from "../pipeline/engine-context.js";
import type { CompiledValue, TemplateData } from "../templates/template-api.js";

/** Metadata key of the resolved tenant (issue: tenants), shown to templates as `.tenant`. */
export const TENANT = "_tenant";

/**
 * What templates of this execution see: `current`'s keys at top level, then
 * `steps`, `trigger`, `meta` (metadata without its internal `_` keys), `current`
 * and `tenant`, which win over same-named keys of `current`.
 */
export function templateDataOf(pc: PipelineContext): TemplateData {
  if (pc instanceof EngineContext) {
    pc.templateData ??= buildTemplateData(pc);
    return pc.templateData;
  }
  return buildTemplateData(pc);
}

function buildTemplateData(pc: PipelineContext): TemplateData {
  const meta: Record<string, unknown> = {};
  for (const key of Object.keys(pc.metadata))
    if (!key.startsWith("_")) meta[key] = pc.metadata[key];
  const tenant = pc.metadata[TENANT];
  return {
    ...pc.current,
    steps: pc.stepOutputs,
    trigger: pc.triggerData,
    meta,
    current: pc.current,
    ...(tenant !== undefined ? { tenant } : {}),
  };
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
  const trimmed = path.trim().replace(/^\./, "");
  if (trimmed === "") return pc.current;
  const data = templateDataOf(pc) as Record<string, unknown>;
  let value: unknown = data;
  for (const segment of trimmed.split(".")) {
    if (value === null || typeof value !== "object") return undefined;
    if (!Object.hasOwn(value, segment)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}
