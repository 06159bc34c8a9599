import { describe, expect, it } from "vitest";
import { ConfigTypeRegistry } from "../../src/config/type-registry.js";
import { load, yaml } from "./support.js";

describe("schema validation", () => {
  it("points an unknown key at the key, with a suggestion and the place", async () => {
    const { errors, result } = await load({
      "wfctl.yaml": yaml`
        modules:
          - name: api
            type: http.server
            config:
              adress: ":8080"
        pipelines:
          create-order:
            steps:
              - name: parse
                type: step.set
                config: { values: {}, valeus: {} }
            trigger:
              type: http
              config: { path: /x, methd: GET }
      `,
    });
    expect(errors).toEqual([
      'wfctl.yaml:5:7: unknown key "adress" in module "api" config (did you mean "address"?)',
      'wfctl.yaml:11:31: unknown key "valeus" in pipeline "create-order" step "parse" config (did you mean "values"?)',
      'wfctl.yaml:14:27: unknown key "methd" in pipeline "create-order" trigger config (did you mean "method"?)',
    ]);
    expect(result.diagnostics.map((d) => d.path)).toEqual([
      "modules[0].config.adress",
      "pipelines.create-order.steps[0].config.valeus",
      "pipelines.create-order.trigger.config.methd",
    ]);
    expect(result.diagnostics.every((d) => d.code === "WF_ERR_CONFIG_SCHEMA")).toBe(true);
  });

  it("reports unknown keys of modules, pipelines and steps themselves", async () => {
    const { errors } = await load({
      "wfctl.yaml": yaml`
        modules:
          - name: api
            type: http.server
            depends_on: [x]
        pipelines:
          p:
            stpes: []
      `,
    });
    expect(errors).toEqual([
      'wfctl.yaml:4:5: unknown key "depends_on" in module "api" (did you mean "dependsOn"?)',
      'wfctl.yaml:7:5: unknown key "stpes" in pipeline "p" (did you mean "steps"?)',
    ]);
  });

  it("points a missing required key at the enclosing object's key", async () => {
    const { errors } = await load({
      "wfctl.yaml": yaml`
        modules:
          - name: db
            type: database.postgres
            config:
              pool_size: 5
          - type: http.server
          - name: db2
            type: database.postgres
      `,
    });
    expect(errors).toEqual([
      'wfctl.yaml:4:5: module "db" config is missing required key "dsn"',
      'wfctl.yaml:6:5: module modules[1] is missing required key "name"',
      'wfctl.yaml:7:5: module "db2" is missing required key "config"',
    ]);
  });

  it("reports a wrong type at the value", async () => {
    const { errors } = await load({
      "wfctl.yaml": yaml`
        modules:
          - name: api
            type: http.server
            protected: "no"
            config:
              body_limit: lots
              request_id: 1
          - name: db
            type: database.postgres
            config: [dsn]
      `,
    });
    expect(errors).toEqual([
      'wfctl.yaml:4:16: "protected" must be a boolean, got a string ("no")',
      'wfctl.yaml:6:19: "body_limit" must be an integer, got a string ("lots")',
      'wfctl.yaml:7:19: "request_id" must be a boolean, got an integer (1)',
      'wfctl.yaml:10:13: "config" must be a mapping, got a list',
    ]);
  });

  it("lists the allowed values of an enum, with a suggestion", async () => {
    const { errors } = await load({
      "wfctl.yaml": yaml`
        pipelines:
          p:
            on_error: compensat
            steps:
              - name: s
                type: step.set
                config: { values: {} }
                on_error: skip
      `,
    });
    expect(errors).toEqual([
      'wfctl.yaml:3:15: "on_error" must be one of stop, skip, compensate, got a string ("compensat") (did you mean "compensate"?)',
      'wfctl.yaml:8:19: "on_error" must be one of stop, continue, got a string ("skip")',
    ]);
  });

  it("checks durations and error_status", async () => {
    const { errors, result } = await load({
      "wfctl.yaml": yaml`
        pipelines:
          p:
            timeout: 5 seconds
            steps:
              - name: a
                type: step.set
                config: { values: {} }
                timeout: 1m30s
                error_status: 422
              - name: b
                type: step.set
                config: { values: {} }
                timeout: 2x
                error_status: 200
              - name: c
                type: step.set
                config: { values: {} }
                error_status: 600
      `,
    });
    expect(errors).toEqual([
      'wfctl.yaml:3:14: "timeout" must be a duration like 500ms, 5s, 1m30s or 2h, got a string ("5 seconds")',
      'wfctl.yaml:13:18: "timeout" must be a duration like 500ms, 5s, 1m30s or 2h, got a string ("2x")',
      'wfctl.yaml:14:23: "error_status" must be at least 400, got an integer (200)',
      'wfctl.yaml:18:23: "error_status" must be at most 599, got an integer (600)',
    ]);
    expect(result.config).toBeUndefined();
  });

  it("validates registered sections", async () => {
    const { errors } = await load({
      "wfctl.yaml": yaml`
        build:
          targets:
            - command: make
      `,
    });
    expect(errors).toEqual(['wfctl.yaml:3:7: build.targets[0] is missing required key "name"']);
  });

  it("reports unknown module, step and trigger types with the nearest known type", async () => {
    const { errors, result } = await load({
      "wfctl.yaml": yaml`
        modules:
          - name: web
            type: http.sever
            config: { anything: 1 }
          - name: db
            type: infr.database
          - name: cdn
            type: infra.cdn
        pipelines:
          p:
            trigger: { type: shedule, config: {} }
            steps:
              - name: s
                type: step.sett
              - name: t
                type: nothing.like.it
      `,
    });
    expect(errors).toEqual([
      'wfctl.yaml:3:11: unknown module type "http.sever" in module "web" (did you mean "http.server"?)',
      'wfctl.yaml:6:11: unknown module type "infr.database" in module "db" (did you mean "infra.database"?)',
      'wfctl.yaml:11:22: unknown trigger type "shedule" in pipeline "p" (did you mean "schedule"?)',
      'wfctl.yaml:14:15: unknown step type "step.sett" in pipeline "p" step "s" (did you mean "step.set"?)',
      'wfctl.yaml:16:15: unknown step type "nothing.like.it" in pipeline "p" step "t"',
    ]);
    expect(result.diagnostics.every((d) => d.code === "WF_ERR_CONFIG_UNKNOWN_TYPE")).toBe(true);
  });

  it("validates a prefix-pattern type (infra.*) with the pattern's schema", async () => {
    const { errors } = await load({
      "wfctl.yaml": yaml`
        modules:
          - name: cdn
            type: infra.cdn
            config: { http_port: 70000 }
      `,
    });
    expect(errors).toEqual([
      'wfctl.yaml:4:26: "http_port" must be at most 65535, got an integer (70000)',
    ]);
  });

  it("reports every problem of a file at once", async () => {
    const { errors, result } = await load({
      "wfctl.yaml": yaml`
        modules:
          - name: web
            type: http.server
            config: { adress: ":80" }
          - name: web
            type: eventbus.memory
          - name: db
            type: database.postgres
            dependsOn: [cache]
            config: { dsn: "\${DSN}" }
        pipelines:
          p:
            on_error: never
            steps:
              - name: s
                type: step.sett
              - name: s
                type: step.set
                config: { values: 1 }
        unknown: true
      `,
    });
    expect(result.config).toBeUndefined();
    expect(errors).toEqual([
      'wfctl.yaml:4:15: unknown key "adress" in module "web" config (did you mean "address"?)',
      'wfctl.yaml:5:11: duplicate module name "web" (first defined at line 2)',
      'wfctl.yaml:9:17: module "db" depends on unknown module "cache"',
      'wfctl.yaml:10:20: environment variable "DSN" is not set (give a default with ${DSN:-value})',
      'wfctl.yaml:13:15: "on_error" must be one of stop, skip, compensate, got a string ("never")',
      'wfctl.yaml:16:15: unknown step type "step.sett" in pipeline "p" step "s" (did you mean "step.set"?)',
      'wfctl.yaml:17:15: duplicate step name "s" in pipeline "p" (first defined at line 15)',
      'wfctl.yaml:19:27: "values" must be a mapping, got an integer (1)',
      'wfctl.yaml:20:1: unknown top-level key "unknown"',
    ]);
  });

  it("reduces anyOf failures to the branch that fits, or one summary", async () => {
    const registry = new ConfigTypeRegistry().register("module", {
      type: "svc",
      description: "A service.",
      configSchema: {
        type: "object",
        properties: {
          port: {
            anyOf: [
              { type: "integer", minimum: 1 },
              { type: "string", pattern: "^\\$\\{" },
            ],
          },
          mode: { anyOf: [{ const: "fast" }, { const: "safe" }] },
          limits: {
            anyOf: [
              { type: "integer" },
              {
                type: "object",
                additionalProperties: false,
                properties: { cpu: { type: "number" } },
              },
            ],
          },
          flag: { anyOf: [{ type: "boolean" }, { type: "null" }] },
        },
        anyOf: [{ required: ["port"] }, { required: ["socket"] }],
      },
    });
    const { errors } = await load(
      {
        "wfctl.yaml": yaml`
          modules:
            - name: a
              type: svc
              config: { port: 0, mode: slow, limits: { cpus: 2 }, flag: on }
            - name: b
              type: svc
              config: { mode: safe }
        `,
      },
      { registry },
    );
    expect(errors).toEqual([
      'wfctl.yaml:4:21: "port" must be at least 1, got an integer (0)',
      'wfctl.yaml:4:30: "mode" must be one of fast, safe, got a string ("slow")',
      'wfctl.yaml:4:46: unknown key "cpus" in module "a" config.limits (did you mean "cpu"?)',
      'wfctl.yaml:4:63: "flag" must be a boolean or null, got a string ("on")',
      'wfctl.yaml:7:5: module "b" config needs one of the keys "port" or "socket"',
    ]);
  });

  it("names the conflicting key of a 'cannot be used together' rule", async () => {
    const registry = new ConfigTypeRegistry().register("module", {
      type: "svc",
      description: "A service.",
      configSchema: {
        type: "object",
        properties: { dsn: { type: "string" }, host: { type: "string" } },
        // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword; never awaited.
        allOf: [{ if: { required: ["dsn"] }, then: { properties: { host: false } } }],
      },
    });
    const { errors } = await load(
      {
        "wfctl.yaml": yaml`
          modules:
            - name: a
              type: svc
              config: { dsn: x, host: y }
        `,
      },
      { registry },
    );
    expect(errors).toEqual(['wfctl.yaml:4:23: "host" cannot be used together with "dsn"']);
  });
});
