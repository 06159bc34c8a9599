import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { buildConfigSchema, ConfigTypeRegistry } from "../../src/config/index.js";
import { createDefaultRegistry } from "../../src/config-types.js";
import { load, testRegistry, yaml } from "./support.js";

/** As an editor or CI tool would: draft-07, strict. */
function compile(schema: object) {
  const ajv = new Ajv({ strict: true, allowUnionTypes: true, allErrors: true });
  expect(ajv.validateSchema(schema), JSON.stringify(ajv.errors)).toBe(true);
  return ajv.compile(schema);
}

type Schema = Record<string, unknown>;
const at = (schema: unknown, ...keys: string[]): Schema =>
  keys.reduce((node, key) => (node as Schema)[key] as Schema, schema as Schema);

describe("buildConfigSchema", () => {
  it("is a valid draft-07 JSON Schema, for the test registry and for the built-in one", () => {
    compile(buildConfigSchema(testRegistry()));
    compile(buildConfigSchema(createDefaultRegistry()));
    compile(buildConfigSchema(new ConfigTypeRegistry()));
    expect(buildConfigSchema(testRegistry()).$schema).toBe(
      "http://json-schema.org/draft-07/schema#",
    );
  });

  it("offers every registered type, with its description, for completion", () => {
    const schema = buildConfigSchema(testRegistry());
    const moduleTypes = at(schema, "definitions", "module", "properties", "type").anyOf;
    expect(moduleTypes).toContainEqual({ const: "http.server", description: "An HTTP server." });
    expect(moduleTypes).toContainEqual({
      pattern: "^infra\\..",
      description: "infra.*: Any other infrastructure resource.",
    });
    expect(at(schema, "definitions", "step", "properties", "type").anyOf).toContainEqual({
      const: "step.set",
      description: "Set values.",
    });
    expect(at(schema, "definitions", "trigger", "properties", "type").anyOf).toContainEqual({
      const: "schedule",
      description: "A cron schedule.",
    });
    expect(Object.keys(at(schema, "properties"))).toEqual([
      "imports",
      "modules",
      "pipelines",
      "environments",
      "build",
    ]);
    expect(at(schema, "properties", "build").description).toBe("Build targets.");
  });

  it("validates each config by its type, exact types before patterns", () => {
    const validate = compile(buildConfigSchema(testRegistry()));
    const withModule = (module: object) => ({ modules: [module] });
    expect(
      validate(withModule({ name: "a", type: "http.server", config: { address: ":1" } })),
    ).toBe(true);
    expect(validate(withModule({ name: "a", type: "http.server", config: { nope: 1 } }))).toBe(
      false,
    );
    // infra.database has its own closed schema; other infra.* types get the pattern's.
    expect(
      validate(withModule({ name: "a", type: "infra.database", config: { http_port: 1 } })),
    ).toBe(false);
    expect(validate(withModule({ name: "a", type: "infra.cache", config: { http_port: 1 } }))).toBe(
      true,
    );
    expect(validate(withModule({ name: "a", type: "infra.cache", config: { http_port: 0 } }))).toBe(
      false,
    );
    const pipeline = {
      trigger: { type: "http", config: { path: "/x" } },
      steps: [{ name: "s", type: "step.set", config: { values: {} }, timeout: "1m30s" }],
    };
    expect(validate({ pipelines: { p: pipeline } })).toBe(true);
    expect(
      validate({ pipelines: { p: { ...pipeline, trigger: { type: "http", config: {} } } } }),
    ).toBe(false);
    expect(validate({ pipelines: { p: { ...pipeline, timeout: "soon" } } })).toBe(false);
    expect(validate({ environments: { prod: { region: "x", vars: { A: 1 } }, dev: null } })).toBe(
      true,
    );
  });

  it("keeps a registered schema's own #/definitions references working once embedded", async () => {
    const registry = new ConfigTypeRegistry().register("module", {
      type: "svc",
      description: "A service.",
      configSchema: {
        type: "object",
        properties: { port: { $ref: "#/definitions/port" } },
        definitions: { port: { type: "integer", minimum: 1 } },
      },
    });
    compile(buildConfigSchema(registry));
    const { errors } = await load(
      {
        "wfctl.yaml": yaml`
          modules:
            - { name: a, type: svc, config: { port: 0 } }
        `,
      },
      { registry },
    );
    expect(errors).toEqual(['wfctl.yaml:2:43: "port" must be at least 1, got an integer (0)']);
  });

  it("follows registrations made after an earlier load", async () => {
    const registry = testRegistry();
    const files = { "wfctl.yaml": "modules: [{ name: a, type: queue.memory }]\n" };
    expect((await load(files, { registry })).errors).toEqual([
      'wfctl.yaml:1:28: unknown module type "queue.memory" in module "a"',
    ]);
    registry.register("module", {
      type: "queue.memory",
      description: "A queue.",
      configSchema: { type: "object", required: ["size"] },
    });
    expect((await load(files, { registry })).errors).toEqual([
      'wfctl.yaml:1:11: module "a" is missing required key "config"',
    ]);
  });
});
