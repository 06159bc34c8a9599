import { escapeVarSyntax, parseVarTemplate, type VarToken } from "../config/var-template.js";

/**
 * `${…}` left in resource config after load: `${resource.field}` output references
 * (`${app-db.uri}`, `${vpc.id}`) and, in apply-time keys such as `env_vars`,
 * `${VAR}` environment variables. Plan resolves leniently (what state already knows;
 * the rest stays as written, secrets stay unread); apply resolves strictly, just in
 * time, from the outputs of actions already done.
 */

export interface OutputReference {
  readonly raw: string;
  readonly resource: string;
  /** The output key, or `id` for the provider ID. */
  readonly field: string;
}

export interface ReferenceSources {
  /** Outputs known for a resource (`id` included), or undefined if it has none (yet). */
  readonly outputs: (resource: string) => Readonly<Record<string, unknown>> | undefined;
  /** New provider IDs of resources replaced earlier in this apply (ReplaceIDMap). */
  readonly replacedIds?: Readonly<Record<string, string>>;
  /** Environment for `${VAR}`; without it variables are kept as written. */
  readonly env?: (name: string) => string | undefined;
}

export interface Resolution {
  readonly config: Record<string, unknown>;
  /** References (and, with `env`, variables) that could not be resolved, as written. */
  readonly unresolved: readonly string[];
}

/** Every output reference in a config, in order of appearance. */
export function findReferences(config: unknown): OutputReference[] {
  const found: OutputReference[] = [];
  walkStrings(config, (text) => {
    const parsed = parseVarTemplate(text);
    if (parsed.ok) collectRefs(parsed.tokens, found);
  });
  return found;
}

/**
 * Substitute what `sources` know. `strict` (apply): the result is final text, so
 * escapes are consumed. Lenient (plan): anything unresolved is kept as written and
 * literal `${` stays escaped, so apply can resolve the result again.
 */
export function resolveReferences(
  config: Readonly<Record<string, unknown>>,
  sources: ReferenceSources,
  mode: "strict" | "lenient",
): Resolution {
  const unresolved: string[] = [];
  const resolver = new Resolver(sources, mode === "strict", unresolved);
  return { config: resolver.value(config) as Record<string, unknown>, unresolved };
}

export function parseReference(raw: string): OutputReference | undefined {
  const inner = raw.slice(2, -1);
  const dot = inner.indexOf(".");
  if (dot <= 0 || dot === inner.length - 1) return undefined;
  return { raw, resource: inner.slice(0, dot), field: inner.slice(dot + 1) };
}

class Resolver {
  constructor(
    readonly sources: ReferenceSources,
    readonly strict: boolean,
    readonly unresolved: string[],
  ) {}

  value(v: unknown): unknown {
    if (typeof v === "string") return v.includes("${") ? this.text(v) : v;
    if (Array.isArray(v)) return v.map((x) => this.value(x));
    if (v !== null && typeof v === "object") {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, this.value(x)]));
    }
    return v;
  }

  text(text: string): unknown {
    const parsed = parseVarTemplate(text);
    if (!parsed.ok) {
      this.unresolved.push(text);
      return text;
    }
    const only = parsed.tokens.length === 1 ? parsed.tokens[0] : undefined;
    if (only?.kind === "ref") {
      // A value that is exactly one reference keeps the output's type (a port stays a number).
      const value = this.ref(only.raw);
      return value === undefined ? only.raw : value;
    }
    return this.tokens(parsed.tokens);
  }

  tokens(tokens: readonly VarToken[]): string {
    let out = "";
    for (const token of tokens) {
      if (token.kind === "text") out += this.strict ? token.text : escapeVarSyntax(token.text);
      else if (token.kind === "ref") {
        const value = this.ref(token.raw);
        out += value === undefined ? token.raw : format(value);
      } else out += this.variable(token);
    }
    return out;
  }

  variable(token: Extract<VarToken, { kind: "var" }>): string {
    const env = this.sources.env;
    if (!env) return serialize([token]);
    const found = env(token.name);
    if (token.fallback && (found === undefined || found === "")) return this.tokens(token.fallback);
    if (found === undefined) {
      this.unresolved.push(`\${${token.name}}`);
      return serialize([token]);
    }
    return this.strict ? found : escapeVarSyntax(found);
  }

  ref(raw: string): unknown {
    const ref = parseReference(raw);
    if (!ref) {
      this.unresolved.push(raw);
      return undefined;
    }
    if (ref.field === "id") {
      const replaced = this.sources.replacedIds?.[ref.resource];
      if (replaced !== undefined) return replaced;
    }
    const value = lookupPath(this.sources.outputs(ref.resource), ref.field);
    if (value === undefined) this.unresolved.push(raw);
    return value;
  }
}

function lookupPath(
  outputs: Readonly<Record<string, unknown>> | undefined,
  field: string,
): unknown {
  if (!outputs) return undefined;
  if (Object.hasOwn(outputs, field)) return outputs[field];
  // `${db.conn.host}`: a nested output.
  let current: unknown = outputs;
  for (const part of field.split(".")) {
    if (current === null || typeof current !== "object" || !Object.hasOwn(current, part))
      return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function format(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** Tokens back to the text they were parsed from. */
function serialize(tokens: readonly VarToken[]): string {
  return tokens
    .map((t) => {
      if (t.kind === "text") return escapeVarSyntax(t.text);
      if (t.kind === "ref") return t.raw;
      return t.fallback ? `\${${t.name}:-${serialize(t.fallback)}}` : `\${${t.name}}`;
    })
    .join("");
}

function collectRefs(tokens: readonly VarToken[], found: OutputReference[]): void {
  for (const token of tokens) {
    if (token.kind === "ref") {
      const ref = parseReference(token.raw);
      if (ref) found.push(ref);
    } else if (token.kind === "var" && token.fallback) collectRefs(token.fallback, found);
  }
}

function walkStrings(v: unknown, visit: (text: string) => void): void {
  if (typeof v === "string") {
    if (v.includes("${")) visit(v);
  } else if (Array.isArray(v)) {
    for (const x of v) walkStrings(x, visit);
  } else if (v !== null && typeof v === "object") {
    for (const x of Object.values(v)) walkStrings(x, visit);
  }
}
