import { SyntaxProblem } from "./template-error.js";

/**
 * Splits a template string into text and `{{ }}` actions, and each action into
 * tokens (Go text/template's lexical rules, restricted to the expression subset).
 * `{{- ` / ` -}}` trim the whitespace before / after the action; `{{/* … *\/}}` is a
 * comment. `${` means nothing here: it is plain text.
 */
export type TokenKind =
  | "field"
  | "ident"
  | "string"
  | "number"
  | "bool"
  | "nil"
  | "pipe"
  | "lparen"
  | "rparen";

export interface Token {
  readonly kind: TokenKind;
  /** Offset in the template string. */
  readonly offset: number;
  /** Source text of the token. */
  readonly text: string;
  /** Whether whitespace separates it from the previous token. */
  readonly spaceBefore: boolean;
  /** Literal value (string, number, bool, nil=null). */
  readonly value?: unknown;
  /** Field path segments; empty for `.`. */
  readonly segments?: readonly string[];
}

export type Part =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "action"; readonly offset: number; readonly tokens: readonly Token[] };

const SPACE = new Set([" ", "\t", "\r", "\n"]);
const IDENT_START = /[\p{L}_]/u;
const IDENT_CHAR = /[\p{L}\p{N}_]/u;
const NUMBER = /^[+-]?(?:0[xX][0-9a-fA-F]+|(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)$/;
const ESCAPES: Record<string, string> = {
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  "\\": "\\",
  '"': '"',
};

function isSpace(ch: string | undefined): boolean {
  return ch !== undefined && SPACE.has(ch);
}

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= "0" && ch <= "9";
}

function trimStartSpace(s: string): string {
  let i = 0;
  while (isSpace(s[i])) i++;
  return s.slice(i);
}

function trimEndSpace(s: string): string {
  let i = s.length;
  while (isSpace(s[i - 1])) i--;
  return s.slice(0, i);
}

/** The text and action parts of `text`; empty text parts are left out. */
export function scanTemplate(text: string): Part[] {
  const parts: Part[] = [];
  let i = 0;
  let trimLeading = false;
  while (i <= text.length) {
    const open = text.indexOf("{{", i);
    let before = text.slice(i, open < 0 ? text.length : open);
    if (trimLeading) before = trimStartSpace(before);
    if (open < 0) {
      if (before !== "") parts.push({ kind: "text", text: before });
      break;
    }
    let p = open + 2;
    if (text[p] === "-" && isSpace(text[p + 1])) {
      before = trimEndSpace(before);
      p += 2;
    }
    if (before !== "") parts.push({ kind: "text", text: before });
    const comment = skipComment(text, open, p);
    if (comment !== undefined) {
      i = comment.end;
      trimLeading = comment.trimAfter;
      continue;
    }
    const action = lexAction(text, open, p);
    if (action.tokens.length === 0) throw new SyntaxProblem(open, "empty action");
    parts.push({ kind: "action", offset: open, tokens: action.tokens });
    i = action.end;
    trimLeading = action.trimAfter;
  }
  return parts;
}

interface ActionEnd {
  readonly end: number;
  readonly trimAfter: boolean;
}

/** `{{/* … *\/}}`: the comment must open right after `{{` (or `{{- `), as in Go. */
function skipComment(text: string, open: number, p: number): ActionEnd | undefined {
  if (!text.startsWith("/*", p)) return undefined;
  const close = text.indexOf("*/", p + 2);
  if (close < 0) throw new SyntaxProblem(open, "unclosed comment (missing */)");
  let q = close + 2;
  if (text.startsWith("}}", q)) return { end: q + 2, trimAfter: false };
  if (isSpace(text[q])) {
    while (isSpace(text[q])) q++;
    if (text.startsWith("-}}", q)) return { end: q + 3, trimAfter: true };
    if (text.startsWith("}}", q)) return { end: q + 2, trimAfter: false };
  }
  throw new SyntaxProblem(open, 'comment must be followed by "}}"');
}

function lexAction(text: string, open: number, start: number): ActionEnd & { tokens: Token[] } {
  const tokens: Token[] = [];
  let p = start;
  for (;;) {
    const before = p;
    while (isSpace(text[p])) p++;
    const spaceBefore = p > before || tokens.length === 0;
    if (p >= text.length) throw new SyntaxProblem(open, 'unclosed action (missing "}}")');
    if (text.startsWith("}}", p)) return { tokens, end: p + 2, trimAfter: false };
    if (p > before && text.startsWith("-}}", p)) return { tokens, end: p + 3, trimAfter: true };
    const token = lexToken(text, p, spaceBefore, tokens[tokens.length - 1]);
    tokens.push(token);
    p = token.offset + token.text.length;
  }
}

function lexToken(text: string, p: number, spaceBefore: boolean, prev: Token | undefined): Token {
  const ch = text[p]!;
  const simple = (kind: TokenKind): Token => ({ kind, offset: p, text: ch, spaceBefore });
  if (ch === "|") return simple("pipe");
  if (ch === "(") return simple("lparen");
  if (ch === ")") return simple("rparen");
  if (ch === '"') return lexQuoted(text, p, spaceBefore);
  if (ch === "`") return lexRaw(text, p, spaceBefore);
  if (ch === ".") {
    const chained = prev?.kind === "rparen" && !spaceBefore;
    if (!chained && isDigit(text[p + 1])) return lexNumber(text, p, spaceBefore);
    return lexField(text, p, spaceBefore);
  }
  if (isDigit(ch) || ((ch === "-" || ch === "+") && /[\d.]/.test(text[p + 1] ?? ""))) {
    return lexNumber(text, p, spaceBefore);
  }
  if (IDENT_START.test(ch)) return lexIdent(text, p, spaceBefore);
  if (ch === "$") throw new SyntaxProblem(p, "variables ($name) are not supported");
  if (ch === "'") {
    throw new SyntaxProblem(p, 'single-quoted literals are not supported; use "…" or `…`');
  }
  if (ch === "=" || (ch === ":" && text[p + 1] === "=")) {
    throw new SyntaxProblem(p, "assignments are not supported");
  }
  throw new SyntaxProblem(p, `unexpected ${JSON.stringify(ch)} in action`);
}

function lexQuoted(text: string, start: number, spaceBefore: boolean): Token {
  let value = "";
  let p = start + 1;
  for (;;) {
    const ch = text[p];
    if (ch === undefined || ch === "\n") {
      throw new SyntaxProblem(start, 'unterminated string (missing closing ")');
    }
    if (ch === '"') break;
    if (ch !== "\\") {
      value += ch;
      p++;
      continue;
    }
    const esc = text[p + 1] ?? "";
    const simple = ESCAPES[esc];
    if (simple !== undefined) {
      value += simple;
      p += 2;
      continue;
    }
    const hexLength = esc === "x" ? 2 : esc === "u" ? 4 : esc === "U" ? 8 : 0;
    const hex = text.slice(p + 2, p + 2 + hexLength);
    const code = Number.parseInt(hex, 16);
    if (
      hexLength === 0 ||
      !/^[0-9a-fA-F]+$/.test(hex) ||
      hex.length < hexLength ||
      code > 0x10ffff
    ) {
      throw new SyntaxProblem(p, `bad escape ${JSON.stringify(`\\${esc}`)} in string`);
    }
    value += String.fromCodePoint(code);
    p += 2 + hexLength;
  }
  return { kind: "string", offset: start, text: text.slice(start, p + 1), spaceBefore, value };
}

function lexRaw(text: string, start: number, spaceBefore: boolean): Token {
  const end = text.indexOf("`", start + 1);
  if (end < 0) throw new SyntaxProblem(start, "unterminated raw string (missing closing `)");
  const value = text.slice(start + 1, end);
  return { kind: "string", offset: start, text: text.slice(start, end + 1), spaceBefore, value };
}

function lexNumber(text: string, start: number, spaceBefore: boolean): Token {
  let p = start + 1;
  const hex = /^[+-]?0[xX]/.test(text.slice(start, start + 3));
  while (p < text.length) {
    const ch = text[p]!;
    if (/[0-9a-zA-Z_.]/.test(ch)) p++;
    else if ((ch === "+" || ch === "-") && !hex && /[eE]/.test(text[p - 1]!)) p++;
    else break;
  }
  const source = text.slice(start, p);
  if (!NUMBER.test(source)) {
    throw new SyntaxProblem(start, `bad number literal ${JSON.stringify(source)}`);
  }
  const negative = source.startsWith("-");
  const body = source.replace(/^[+-]/, "");
  const magnitude = Number(body);
  return {
    kind: "number",
    offset: start,
    text: source,
    spaceBefore,
    value: negative ? -magnitude : magnitude,
  };
}

function lexIdent(text: string, start: number, spaceBefore: boolean): Token {
  let p = start + 1;
  while (p < text.length && IDENT_CHAR.test(text[p]!)) p++;
  const word = text.slice(start, p);
  const base = { offset: start, text: word, spaceBefore };
  if (word === "true" || word === "false") return { ...base, kind: "bool", value: word === "true" };
  if (word === "nil" || word === "null") return { ...base, kind: "nil", value: null };
  return { ...base, kind: "ident" };
}

/**
 * `.`, `.a.b`, `.steps.parse-body.x`, `.items.0`: segments of letters, digits, `_`
 * and `-` (not leading), so hyphenated step names need no `index`.
 */
function lexField(text: string, start: number, spaceBefore: boolean): Token {
  const segments: string[] = [];
  let p = start;
  while (text[p] === ".") {
    const segStart = p + 1;
    const first = text[segStart];
    if (first === undefined || !IDENT_CHAR.test(first)) {
      if (segments.length === 0 && (first === undefined || /[\s)|}]/.test(first))) break;
      throw new SyntaxProblem(p, `bad field name after "${text.slice(start, segStart)}"`);
    }
    p = segStart + 1;
    while (p < text.length && (IDENT_CHAR.test(text[p]!) || text[p] === "-")) p++;
    segments.push(text.slice(segStart, p));
  }
  const end = segments.length === 0 ? start + 1 : p;
  return { kind: "field", offset: start, text: text.slice(start, end), spaceBefore, segments };
}
