import { compileExpr, type Evaluate, type Scope } from "./evaluator.js";
import { type Part, scanTemplate } from "./lexer.js";
import { parseAction } from "./parser.js";
import type { CompiledValue, RenderOptions, TemplateData, TemplateSite } from "./template-api.js";
import { locate, SyntaxProblem, TemplateError } from "./template-error.js";
import { formatText } from "./values.js";

/** A value with nothing to render: `render` returns it as is. */
export function staticValue(value: unknown): CompiledValue {
  return { dynamic: false, render: () => value };
}

function scope(data: TemplateData, options: RenderOptions): Scope {
  return { data, strict: options.strict, onMissing: options.onMissing };
}

/**
 * Compiles a string with zero or more `{{ EXPR }}` actions. Exactly one action and no
 * text around it (after `{{-`/`-}}` trimming) renders to the typed value (number,
 * object, list, boolean; null when missing); anything else renders to text, where
 * null and missing values are "" and objects/lists are JSON. Throws TemplateError
 * (`kind: "syntax"`) with the column for a template that cannot compile.
 */
export function compileTemplate(text: string, site: TemplateSite): CompiledValue {
  if (!text.includes("{{")) return staticValue(text);
  let parts: (string | Evaluate)[];
  try {
    parts = scanTemplate(text).map((part: Part) =>
      part.kind === "text" ? part.text : compileExpr(parseAction(part.tokens), { text, site }),
    );
  } catch (err) {
    if (!(err instanceof SyntaxProblem)) throw err;
    throw new TemplateError("syntax", site, locate(text, err.offset), err.detail);
  }
  if (parts.every((p) => typeof p === "string")) {
    // Only comments (and trimming): still a template, since it renders other text.
    const rendered = parts.join("");
    return { dynamic: true, render: () => rendered };
  }
  if (parts.length === 1) {
    const whole = parts[0] as Evaluate;
    return {
      dynamic: true,
      render: (data, options) => whole(scope(data, options)) ?? null,
    };
  }
  return {
    dynamic: true,
    render: (data, options) => {
      const s = scope(data, options);
      let out = "";
      for (const part of parts) out += typeof part === "string" ? part : formatText(part(s));
      return out;
    },
  };
}
