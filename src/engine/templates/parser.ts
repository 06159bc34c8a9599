import type { Token } from "./lexer.js";
import { SyntaxProblem } from "./template-error.js";

/**
 * The expression tree of one action. Pipes are desugared as in Go: `X | f a` is
 * `f a X` (the piped value is the last argument). Parentheses leave no node.
 */
export type Expr =
  | { readonly kind: "literal"; readonly offset: number; readonly value: unknown }
  | {
      readonly kind: "field";
      readonly offset: number;
      /** The value the path starts from; undefined for the root (`.a.b`). */
      readonly base: Expr | undefined;
      readonly segments: readonly string[];
    }
  | {
      readonly kind: "call";
      readonly offset: number;
      readonly name: string;
      readonly args: readonly Expr[];
    };

/** Parses the tokens of one action (`{{ … }}`, never empty) into an expression. */
export function parseAction(tokens: readonly Token[]): Expr {
  const parser = new Parser(tokens);
  const expr = parser.pipeline();
  const extra = parser.peek();
  if (extra !== undefined) throw unexpected(extra);
  return expr;
}

function unexpected(token: Token): SyntaxProblem {
  if (token.kind === "rparen") return new SyntaxProblem(token.offset, 'unexpected ")"');
  return new SyntaxProblem(token.offset, `unexpected ${JSON.stringify(token.text)}`);
}

/** Tokens that can start an operand (an argument). */
function startsOperand(token: Token | undefined): boolean {
  return token !== undefined && token.kind !== "pipe" && token.kind !== "rparen";
}

class Parser {
  private pos = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private next(): Token | undefined {
    return this.tokens[this.pos++];
  }

  /** command ('|' command)* */
  pipeline(): Expr {
    let expr = this.command(undefined);
    while (this.peek()?.kind === "pipe") {
      const bar = this.next()!;
      expr = this.command({ value: expr, bar });
    }
    return expr;
  }

  /** A function call with its arguments, or a single operand (only first in a pipeline). */
  private command(piped: { value: Expr; bar: Token } | undefined): Expr {
    const head = this.peek();
    if (head === undefined || !startsOperand(head)) {
      const at = head?.offset ?? piped?.bar.offset ?? this.tokens[this.pos - 1]?.offset ?? 0;
      throw new SyntaxProblem(at, piped ? 'missing function after "|"' : "missing value");
    }
    if (head.kind === "ident") {
      this.pos++;
      const args: Expr[] = [];
      while (startsOperand(this.peek())) args.push(this.operand());
      if (piped) args.push(piped.value);
      return { kind: "call", offset: head.offset, name: head.text, args };
    }
    if (piped) {
      throw new SyntaxProblem(
        head.offset,
        `cannot pipe into ${JSON.stringify(head.text)}: only a function can follow "|"`,
      );
    }
    const operand = this.operand();
    const extra = this.peek();
    if (startsOperand(extra)) {
      throw new SyntaxProblem(
        extra!.offset,
        `${JSON.stringify(head.text)} is not a function, so it takes no arguments`,
      );
    }
    return operand;
  }

  /** literal | field | ident (a call without arguments) | '(' pipeline ')' field? */
  private operand(): Expr {
    const token = this.next()!;
    const previous = this.tokens[this.pos - 2];
    if (!token.spaceBefore && previous !== undefined && previous.kind !== "lparen") {
      if (previous.kind !== "pipe" && token.kind !== "lparen") {
        throw new SyntaxProblem(token.offset, `missing space before ${JSON.stringify(token.text)}`);
      }
    }
    switch (token.kind) {
      case "string":
      case "number":
      case "bool":
      case "nil":
        return { kind: "literal", offset: token.offset, value: token.value };
      case "field":
        return { kind: "field", offset: token.offset, base: undefined, segments: token.segments! };
      case "ident":
        return { kind: "call", offset: token.offset, name: token.text, args: [] };
      case "lparen":
        return this.parenthesized(token);
      default:
        throw unexpected(token);
    }
  }

  private parenthesized(open: Token): Expr {
    const inner = this.pipeline();
    const close = this.next();
    if (close?.kind !== "rparen") {
      throw new SyntaxProblem(open.offset, 'unclosed parenthesis (missing ")")');
    }
    const after = this.peek();
    if (after?.kind === "field" && !after.spaceBefore && after.segments!.length > 0) {
      this.pos++;
      return { kind: "field", offset: after.offset, base: inner, segments: after.segments! };
    }
    return inner;
  }
}
