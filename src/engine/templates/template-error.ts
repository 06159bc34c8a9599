import type { TemplateSite } from "./template-api.js";

const brand = Symbol.for("wfctl.TemplateError");

/**
 * What went wrong: `syntax` at compile time (a load error); at render time `missing`
 * (a strict missing key, `path` names it) or `eval` (a function failed, e.g. `div` by 0).
 */
export type TemplateErrorKind = "syntax" | "missing" | "eval";

/** Where in the template string a problem is: 1-based, lines counted inside the string. */
export interface TemplateLocation {
  readonly line: number;
  readonly column: number;
}

/**
 * A template that cannot compile or render. The message reads
 * `<label>: template error at column N: <what>` (`at line L, column N` when the
 * string spans lines and the problem is past its first line); `site.position` plus
 * `line`/`column` lets the CLI point at FILE:LINE:COL. Identified by a brand rather
 * than `instanceof`, so copies of the package agree.
 */
export class TemplateError extends Error {
  readonly kind: TemplateErrorKind;
  readonly site: TemplateSite;
  /** Line within the template string (1 for single-line strings). */
  readonly line: number;
  /** Column within that line of the template string, 1-based. */
  readonly column: number;
  /** The problem without label or location, e.g. `unclosed action`. */
  readonly detail: string;
  /** For `missing`: the path as written, e.g. `.steps.parse.body.id`. */
  readonly path: string | undefined;
  readonly [brand] = true;

  constructor(
    kind: TemplateErrorKind,
    site: TemplateSite,
    where: TemplateLocation,
    detail: string,
    options: { path?: string; cause?: unknown } = {},
  ) {
    const at =
      where.line > 1 ? `line ${where.line}, column ${where.column}` : `column ${where.column}`;
    super(
      `${site.label}: template error at ${at}: ${detail}`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = "TemplateError";
    this.kind = kind;
    this.site = site;
    this.line = where.line;
    this.column = where.column;
    this.detail = detail;
    this.path = options.path;
  }

  static is(err: unknown): err is TemplateError {
    return (
      typeof err === "object" && err !== null && (err as { [brand]?: unknown })[brand] === true
    );
  }
}

/** Line and column (1-based) of `offset` within `text`. */
export function locate(text: string, offset: number): TemplateLocation {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** A syntax problem found by the lexer or parser, at an offset of the template string. */
export class SyntaxProblem extends Error {
  constructor(
    readonly offset: number,
    readonly detail: string,
  ) {
    super(detail);
    this.name = "SyntaxProblem";
  }
}
