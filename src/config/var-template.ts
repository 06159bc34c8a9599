/**
 * The `${…}` syntax of module config strings, parsed once into tokens:
 * `${VAR}`, `${VAR:-default}` (the default may itself hold `${…}`), `$${` for a literal
 * `${`, and `${module.field}` — a name with a dot is an IaC output reference, kept
 * verbatim for the apply-time resolver.
 */
export type VarToken =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "var"; readonly name: string; readonly fallback?: readonly VarToken[] }
  | { readonly kind: "ref"; readonly raw: string };

export type ParsedTemplate =
  | { readonly ok: true; readonly tokens: readonly VarToken[] }
  | { readonly ok: false; readonly error: string };

const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function hasVarSyntax(text: string): boolean {
  return text.includes("${");
}

export function parseVarTemplate(text: string): ParsedTemplate {
  const tokens: VarToken[] = [];
  let literal = "";
  let i = 0;
  while (i < text.length) {
    if (text.startsWith("$${", i)) {
      literal += "${";
      i += 3;
      continue;
    }
    if (!text.startsWith("${", i)) {
      literal += text[i];
      i += 1;
      continue;
    }
    const end = closingBrace(text, i + 2);
    if (end < 0) {
      return {
        ok: false,
        error: `unterminated "\${" in ${JSON.stringify(text)} (close it with "}", or write "$\${" for a literal "\${")`,
      };
    }
    const inner = text.slice(i + 2, end);
    const token = parseReference(inner);
    if (typeof token === "string") return { ok: false, error: token };
    if (literal !== "") tokens.push({ kind: "text", text: literal });
    literal = "";
    tokens.push(token);
    i = end + 1;
  }
  if (literal !== "") tokens.push({ kind: "text", text: literal });
  return { ok: true, tokens };
}

/** Index of the `}` closing a reference whose body starts at `from`, counting nested `${`. */
function closingBrace(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    if (text.startsWith("$${", i)) {
      i += 2;
    } else if (text.startsWith("${", i)) {
      depth += 1;
      i += 1;
    } else if (text[i] === "}") {
      if (depth === 0) return i;
      depth -= 1;
    }
  }
  return -1;
}

function parseReference(inner: string): VarToken | string {
  const split = inner.indexOf(":-");
  const name = split < 0 ? inner : inner.slice(0, split);
  if (name.includes(".")) return { kind: "ref", raw: `\${${inner}}` };
  if (name === "") return `empty variable reference "\${${inner}}"`;
  if (!VAR_NAME.test(name)) {
    return `invalid variable reference "\${${inner}}": a name is letters, digits and _ (not starting with a digit), optionally followed by :-default`;
  }
  if (split < 0) return { kind: "var", name };
  const fallback = parseVarTemplate(inner.slice(split + 2));
  if (!fallback.ok) return fallback.error;
  return { kind: "var", name, fallback: fallback.tokens };
}

export interface Expansion {
  readonly value: string;
  /** Variables that were needed but are unset and have no default. */
  readonly missing: readonly string[];
}

/** Write `${` in literal text as `$${`, so a later `${…}` pass keeps it literal. */
export function escapeVarSyntax(text: string): string {
  return text.replaceAll("${", () => "$${");
}

/**
 * Evaluate tokens against `lookup`. As in the shell, `${VAR:-d}` uses `d` when VAR is
 * unset or empty; defaults are evaluated only when used. `onRead` sees every variable
 * consulted. `escapeText` is applied to literal text and variable values (not to kept
 * references) when the result will be read by another `${…}` pass.
 */
export function expandTokens(
  tokens: readonly VarToken[],
  lookup: (name: string) => string | undefined,
  onRead: (name: string) => void,
  escapeText: (text: string) => string = (text) => text,
): Expansion {
  let value = "";
  const missing: string[] = [];
  for (const token of tokens) {
    if (token.kind === "text") value += escapeText(token.text);
    else if (token.kind === "ref") value += token.raw;
    else {
      onRead(token.name);
      const found = lookup(token.name);
      if (token.fallback && (found === undefined || found === "")) {
        const inner = expandTokens(token.fallback, lookup, onRead, escapeText);
        value += inner.value;
        missing.push(...inner.missing);
      } else if (found === undefined) missing.push(token.name);
      else value += escapeText(found);
    }
  }
  return { value, missing };
}

/** Every variable name in the tokens, defaults included (for values expanded later). */
export function variableNames(tokens: readonly VarToken[]): string[] {
  const names: string[] = [];
  for (const token of tokens) {
    if (token.kind !== "var") continue;
    names.push(token.name);
    if (token.fallback) names.push(...variableNames(token.fallback));
  }
  return names;
}
