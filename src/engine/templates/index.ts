/**
 * Templates of step config strings (CONFIG.md "Templates"): `{{ EXPR }}` with the Go
 * text/template action subset — field paths (hyphens allowed), `index`, literals,
 * function calls, pipes, parentheses — compiled once at load into closures and
 * rendered per execution. `${` is plain text here. Templates read only own enumerable
 * properties of plain data: no environment, globals, functions or prototypes.
 */
export { compileTemplate } from "./compile-template.js";
export { compileValue, type LocateValue } from "./compile-value.js";
export { TEMPLATE_FUNCTIONS } from "./functions.js";
export type {
  CompiledValue,
  RenderOptions,
  TemplateData,
  TemplateSite,
} from "./template-api.js";
export { TemplateError, type TemplateErrorKind } from "./template-error.js";
export { isTruthy } from "./values.js";
