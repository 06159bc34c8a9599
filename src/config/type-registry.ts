/**
 * The registry of what a config may contain beyond its core shape: module types,
 * pipeline step types, trigger types and extra top-level sections (such as `build`).
 * Each subsystem registers its own (see src/config-types.ts); the loader validates
 * against whatever is registered and `wfctl schema` publishes it for editors.
 */

/** A JSON Schema (draft-07, as ajv validates it) for one part of the config. */
export type JsonSchema = Readonly<Record<string, unknown>>;

export interface ConfigTypeDefinition {
  /** Exact type name (`http.server`), or a prefix pattern ending in `.*` (`infra.*`). */
  readonly type: string;
  readonly description: string;
  /** Schema of the `config:` object of a module/step/trigger of this type. */
  readonly configSchema: JsonSchema;
}

export interface SectionDefinition {
  /** Top-level key, e.g. `build`. */
  readonly key: string;
  readonly description: string;
  readonly schema: JsonSchema;
}

export type TypeKind = "module" | "step" | "trigger";

export class ConfigTypeRegistry {
  readonly #types: Record<TypeKind, Map<string, ConfigTypeDefinition>> = {
    module: new Map(),
    step: new Map(),
    trigger: new Map(),
  };
  readonly #sections = new Map<string, SectionDefinition>();

  register(kind: TypeKind, definition: ConfigTypeDefinition): this {
    const types = this.#types[kind];
    if (types.has(definition.type)) {
      throw new Error(`${kind} type "${definition.type}" is registered twice`);
    }
    types.set(definition.type, definition);
    return this;
  }

  registerSection(definition: SectionDefinition): this {
    if (this.#sections.has(definition.key)) {
      throw new Error(`config section "${definition.key}" is registered twice`);
    }
    this.#sections.set(definition.key, definition);
    return this;
  }

  /** All definitions of a kind, in registration order. */
  list(kind: TypeKind): readonly ConfigTypeDefinition[] {
    return [...this.#types[kind].values()];
  }

  /** The definition for a concrete type name: an exact match first, then the longest matching `prefix.*` pattern. */
  lookup(kind: TypeKind, type: string): ConfigTypeDefinition | undefined {
    const types = this.#types[kind];
    const exact = types.get(type);
    if (exact) return exact;
    let best: ConfigTypeDefinition | undefined;
    for (const def of types.values()) {
      if (!def.type.endsWith(".*")) continue;
      const prefix = def.type.slice(0, -1);
      if (type.startsWith(prefix) && type.length > prefix.length) {
        if (!best || def.type.length > best.type.length) best = def;
      }
    }
    return best;
  }

  sections(): readonly SectionDefinition[] {
    return [...this.#sections.values()];
  }

  /** A copy with `definitions` of `kind` added (e.g. step types a config declares). */
  with(kind: TypeKind, definitions: readonly ConfigTypeDefinition[]): ConfigTypeRegistry {
    const copy = new ConfigTypeRegistry();
    for (const k of Object.keys(this.#types) as TypeKind[]) {
      for (const def of this.#types[k].values()) copy.register(k, def);
    }
    for (const section of this.#sections.values()) copy.registerSection(section);
    for (const def of definitions) copy.register(kind, def);
    return copy;
  }
}
