import { describe, expect, it } from "vitest";
import type { JsonSchema, TypeKind } from "../../src/config/type-registry.js";
import { createDefaultRegistry } from "../../src/config-types.js";
import { compile } from "./support.js";

/** Every type CONFIG.md names. */
const CONFIG_MD_TYPES: Record<TypeKind, string[]> = {
  module: [
    "http.server",
    "database.sqlite",
    "database.postgres",
    "tenants.registry",
    "tenants.resolver",
    "execution.store",
    "eventbus.memory",
    "metrics.prometheus",
    "iac.provider",
    "iac.state",
    "infra.database",
    "infra.container_service",
    "infra.static_site",
  ],
  step: [
    "step.set",
    "step.log",
    "step.validate",
    "step.request_parse",
    "step.json_response",
    "step.raw_response",
    "step.conditional",
    "step.http_call",
    "step.db_query",
    "step.db_exec",
    "step.transform",
    "step.publish",
    "step.workflow_call",
    "step.pipeline_output",
    "step.foreach",
    "step.parallel",
    "step.retry_with_backoff",
    "step.tenant_ensure",
    "step.tenant_get",
  ],
  trigger: ["http", "schedule", "event"],
};

/**
 * Paths of `properties` entries (at any depth) that lack a description. Conditions
 * (`if`) are not definitions, and a rule (`then`, `allOf`, …) may re-constrain a key its
 * object already describes.
 */
function undescribed(
  schema: unknown,
  path: string,
  out: string[],
  described: ReadonlySet<string> = new Set(),
): string[] {
  if (Array.isArray(schema)) {
    schema.forEach((item, i) => {
      undescribed(item, `${path}/${i}`, out, described);
    });
    return out;
  }
  if (typeof schema !== "object" || schema === null) return out;
  const node = schema as Record<string, unknown>;
  const properties = (node.properties ?? {}) as Record<string, unknown>;
  const here = new Set(described);
  for (const [key, value] of Object.entries(properties)) {
    // `true`/`false` entries are constraints, not definitions.
    if (typeof value !== "object" || value === null) continue;
    if (typeof (value as Record<string, unknown>).description === "string") here.add(key);
    else if (!described.has(key)) out.push(`${path}/properties/${key}`);
  }
  for (const [key, value] of Object.entries(node)) {
    if (key === "if") continue;
    const rule = ["then", "else", "allOf", "anyOf", "oneOf", "not"].includes(key);
    undescribed(value, `${path}/${key}`, out, rule ? here : new Set());
  }
  return out;
}

describe("createDefaultRegistry", () => {
  const registry = createDefaultRegistry();

  it("registers every module, step and trigger type CONFIG.md names", () => {
    for (const kind of ["module", "step", "trigger"] as const) {
      const registered = registry.list(kind).map((d) => d.type);
      for (const type of CONFIG_MD_TYPES[kind]) expect(registered, kind).toContain(type);
    }
    expect(registry.sections().map((s) => s.key)).toEqual(["build", "steps"]);
  });

  it("resolves other infra.* resource types to the fallback", () => {
    expect(registry.lookup("module", "infra.vpc")?.type).toBe("infra.*");
    expect(registry.lookup("module", "infra.cache")?.type).toBe("infra.*");
    expect(registry.lookup("module", "infra.static_site")?.type).toBe("infra.static_site");
    expect(registry.lookup("module", "iac.unknown")).toBeUndefined();
  });

  it("returns a fresh registry each time", () => {
    expect(createDefaultRegistry()).not.toBe(registry);
  });

  const all: [string, JsonSchema][] = [
    ...(["module", "step", "trigger"] as const).flatMap((kind) =>
      registry.list(kind).map((d): [string, JsonSchema] => [`${kind} ${d.type}`, d.configSchema]),
    ),
    ...registry.sections().map((s): [string, JsonSchema] => [`section ${s.key}`, s.schema]),
  ];

  it.each(all)("%s: compiles under strict ajv and describes every property", (_name, schema) => {
    expect(() => compile(schema)).not.toThrow();
    expect(typeof schema.description).toBe("string");
    expect(undescribed(schema, "#", [])).toEqual([]);
    expect(schema).not.toHaveProperty("$id");
    expect(schema).not.toHaveProperty("$schema");
  });

  it("every type has a description", () => {
    for (const kind of ["module", "step", "trigger"] as const) {
      for (const d of registry.list(kind)) expect(d.description.length, d.type).toBeGreaterThan(10);
    }
  });
});
