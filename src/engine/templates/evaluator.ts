import { nearestName } from "../../config/index.js";
import { FUNCTIONS, FunctionFailure, indexStep, UNSUPPORTED_KEYWORDS } from "./functions.js";
import type { Expr } from "./parser.js";
import type { TemplateData, TemplateSite } from "./template-api.js";
import { locate, SyntaxProblem, TemplateError } from "./template-error.js";
import { isContainer, isTruthy, MISSING, readOwn } from "./values.js";

/**
 * Turns an expression tree into a closure, once; rendering then only calls closures
 * (no re-parsing). Function names and argument counts are checked here, at compile
 * time. A missing key is reported where it is read: strict → TemplateError naming the
 * path; otherwise `onMissing(path)` and undefined. Arguments of `default`/`coalesce`
 * may be missing silently: that is what those functions are for.
 */
export interface Scope {
  readonly data: TemplateData;
  readonly strict: boolean;
  readonly onMissing: ((path: string) => void) | undefined;
}

export type Evaluate = (scope: Scope) => unknown;

/** The template string and where it was written, for error messages. */
export interface TemplateSource {
  readonly text: string;
  readonly site: TemplateSite;
}

export function compileExpr(expr: Expr, source: TemplateSource): Evaluate {
  return new Compiler(source).compile(expr, false);
}

const PLAIN_SEGMENT = /^[\p{L}\p{N}_][\p{L}\p{N}_-]*$/u;

function segmentText(key: unknown): string {
  if (typeof key === "number") return `.${key}`;
  const s = String(key);
  return PLAIN_SEGMENT.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`;
}

/** How an expression is named in messages: `.steps.parse.id`, `(index …)`, `"x"`. */
function describe(expr: Expr): string {
  switch (expr.kind) {
    case "literal":
      return JSON.stringify(expr.value) ?? "nil";
    case "field": {
      const base = expr.base === undefined ? "" : describe(expr.base);
      const path = base + expr.segments.map(segmentText).join("");
      return path === "" ? "." : path;
    }
    case "call": {
      const [first, ...keys] = expr.args;
      if (expr.name === "index" && first && keys.every((k) => k.kind === "literal")) {
        const base = describe(first);
        const path =
          (base === "." ? "" : base) +
          keys.map((k) => segmentText((k as { value: unknown }).value)).join("");
        return path === "" ? "." : path;
      }
      return `(${expr.name} …)`;
    }
  }
}

function kindOf(value: unknown): string {
  if (value === undefined) return "missing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (isContainer(value)) return "an object";
  return typeof value === "object" ? "not plain data" : `a ${typeof value}`;
}

class Compiler {
  constructor(private readonly source: TemplateSource) {}

  private error(kind: "missing" | "eval", offset: number, detail: string, path?: string) {
    const where = locate(this.source.text, offset);
    return new TemplateError(kind, this.source.site, where, detail, path ? { path } : {});
  }

  /** Reports a missing key (see the file comment) and yields undefined. */
  private missing(offset: number, tolerant: boolean) {
    return (scope: Scope, path: string, detail: string): undefined => {
      if (tolerant) return undefined;
      if (scope.strict) throw this.error("missing", offset, detail, path);
      scope.onMissing?.(path);
      return undefined;
    };
  }

  compile(expr: Expr, tolerant: boolean): Evaluate {
    switch (expr.kind) {
      case "literal": {
        const value = expr.value;
        return () => value;
      }
      case "field":
        return this.field(expr, tolerant);
      case "call":
        return expr.name === "index" ? this.index(expr, tolerant) : this.call(expr);
    }
  }

  private field(expr: Extract<Expr, { kind: "field" }>, tolerant: boolean): Evaluate {
    const segments = expr.segments;
    const path = describe(expr);
    const prefix = expr.base === undefined ? "" : describe(expr.base);
    const report = this.missing(expr.offset, tolerant);
    const fail = (scope: Scope, at: number, parent: unknown): undefined => {
      const parentPath = prefix + segments.slice(0, at).map(segmentText).join("");
      let detail = `${path} is missing`;
      if (parentPath !== "" && !isContainer(parent))
        detail += ` (${parentPath} is ${kindOf(parent)})`;
      else if (at < segments.length - 1) {
        detail += ` (no ${parentPath}${segmentText(segments[at])})`;
      }
      return report(scope, path, detail);
    };
    const walk = (scope: Scope, start: unknown): unknown => {
      let value = start;
      for (let i = 0; i < segments.length; i++) {
        const next = readOwn(value, segments[i]!);
        if (next === MISSING) return fail(scope, i, value);
        value = next;
      }
      return value;
    };
    if (expr.base !== undefined) {
      const base = this.compile(expr.base, tolerant);
      // An undefined base was already reported (or tolerated) where it went missing.
      return (scope) => {
        const start = base(scope);
        return start === undefined ? undefined : walk(scope, start);
      };
    }
    if (segments.length === 0) return (scope) => scope.data;
    if (segments.length === 1) {
      const key = segments[0]!;
      return (scope) => {
        const value = readOwn(scope.data, key);
        return value === MISSING ? fail(scope, 0, scope.data) : value;
      };
    }
    return (scope) => walk(scope, scope.data);
  }

  private index(expr: Extract<Expr, { kind: "call" }>, tolerant: boolean): Evaluate {
    this.checkArity(expr);
    const [baseExpr, ...keyExprs] = expr.args;
    const base = this.compile(baseExpr!, tolerant);
    const keys = keyExprs.map((k) => this.compile(k, false));
    const basePath = describe(baseExpr!);
    const report = this.missing(expr.offset, tolerant);
    return (scope) => {
      let value = base(scope);
      if (keys.length === 0 || value === undefined) return value;
      const seen: unknown[] = [];
      for (const keyOf of keys) {
        const key = keyOf(scope);
        seen.push(key);
        let next: unknown;
        try {
          next = indexStep(value, key);
        } catch (err) {
          throw this.failure(expr.offset, err);
        }
        if (next === MISSING) {
          const path = (basePath === "." ? "" : basePath) + seen.map(segmentText).join("");
          return report(scope, path, `${path} is missing`);
        }
        value = next;
      }
      return value;
    };
  }

  private checkArity(expr: Extract<Expr, { kind: "call" }>): void {
    const spec = FUNCTIONS.get(expr.name);
    if (spec === undefined) {
      if (UNSUPPORTED_KEYWORDS.has(expr.name)) {
        throw new SyntaxProblem(
          expr.offset,
          `"${expr.name}" actions are not supported: a template is one expression (use eq, and, or, not, default)`,
        );
      }
      const near = nearestName(expr.name, FUNCTIONS.keys());
      const hint = near === undefined ? "" : ` (did you mean "${near}"?)`;
      throw new SyntaxProblem(expr.offset, `unknown function "${expr.name}"${hint}`);
    }
    const n = expr.args.length;
    if (n < spec.minArgs || n > spec.maxArgs) {
      const want =
        spec.minArgs === spec.maxArgs
          ? `${spec.minArgs}`
          : spec.maxArgs === Number.POSITIVE_INFINITY
            ? `at least ${spec.minArgs}`
            : `${spec.minArgs} to ${spec.maxArgs}`;
      throw new SyntaxProblem(
        expr.offset,
        `${expr.name} takes ${want} argument${want === "1" ? "" : "s"}, got ${n}`,
      );
    }
  }

  private failure(offset: number, err: unknown): TemplateError {
    if (TemplateError.is(err)) return err;
    const detail = err instanceof FunctionFailure ? err.message : String(err);
    const where = locate(this.source.text, offset);
    return new TemplateError("eval", this.source.site, where, detail, { cause: err });
  }

  private call(expr: Extract<Expr, { kind: "call" }>): Evaluate {
    this.checkArity(expr);
    const spec = FUNCTIONS.get(expr.name)!;
    const args = expr.args.map((a) => this.compile(a, spec.acceptsMissing === true));
    if (spec.lazy) return lazyLogic(expr.name === "and", args);
    const fn = spec.call;
    const offset = expr.offset;
    const invoke = (values: unknown[]): unknown => {
      try {
        return fn(values);
      } catch (err) {
        throw this.failure(offset, err);
      }
    };
    switch (args.length) {
      case 0:
        return () => invoke([]);
      case 1: {
        const [a] = args as [Evaluate];
        return (scope) => invoke([a(scope)]);
      }
      case 2: {
        const [a, b] = args as [Evaluate, Evaluate];
        return (scope) => invoke([a(scope), b(scope)]);
      }
      default:
        return (scope) => invoke(args.map((arg) => arg(scope)));
    }
  }
}

/** Go's `and`/`or`: the first falsy (and) / truthy (or) argument, else the last; short-circuits. */
function lazyLogic(isAnd: boolean, args: readonly Evaluate[]): Evaluate {
  return (scope) => {
    let value: unknown;
    for (const arg of args) {
      value = arg(scope);
      if (isTruthy(value) !== isAnd) return value;
    }
    return value;
  };
}
