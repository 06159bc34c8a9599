import type { SourcePosition } from "../../diagnostics/index.js";

/**
 * The contract of the template engine (CONFIG.md "Templates"): `{{ EXPR }}` in step
 * config strings, compiled once at load, rendered per execution against the
 * pipeline's data. Implemented in this folder.
 */

/** Where a template was written, for load errors: `FILE:LINE:COL: <label>: …`. */
export interface TemplateSite {
  /** e.g. `pipeline "orders" step "save" config.params[0]`. */
  readonly label: string;
  /** Position of the string value in its file, when known. */
  readonly position?: SourcePosition;
}

/**
 * What templates see at their root: the keys of `current` at top level (so `.name`
 * works), plus `steps`, `trigger`, `meta`, `current` and, when a tenant was resolved,
 * `tenant`. Only plain data (objects, arrays, strings, numbers, booleans, null).
 */
export type TemplateData = Readonly<Record<string, unknown>>;

export interface RenderOptions {
  /** A missing key fails (naming its path) instead of rendering empty/null. */
  readonly strict: boolean;
  /** Non-strict missing keys are reported here (path, e.g. `.steps.parse.body.id`). */
  readonly onMissing?: (path: string) => void;
}

/** A config value with its templates compiled: render it per execution. */
export interface CompiledValue {
  /** False when the value holds no template (render returns it unchanged). */
  readonly dynamic: boolean;
  render(data: TemplateData, options: RenderOptions): unknown;
}
