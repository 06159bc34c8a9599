import path from "node:path";
import { describe, expect, it } from "vitest";
import { fixture, load, loadIn, yaml } from "./support.js";

const full = yaml`
  modules:
    - name: bus
      type: eventbus.memory
      config:
    - name: web
      type: http.server
      dependsOn: [bus]
      protected: true
      config: { address: ":8080" }
  pipelines:
    create-order:
      trigger: { type: http, config: { method: POST, path: "/orders/{id}" } }
      timeout: 5s
      on_error: compensate
      strict_templates: true
      steps:
        - name: parse
          type: step.set
          config: { values: { id: "{{ .trigger.path_params.id }}" } }
          if: "{{ .trigger.body }}"
          skip_if: "{{ false }}"
          on_error: continue
          timeout: 500ms
          error_status: 422
      compensation:
        - { name: undo, type: step.set, config: { values: {} } }
    ping:
      steps: []
  build:
    targets: [{ name: web, command: make }]
`;

describe("loadConfig result", () => {
  it("returns the typed config with defaults filled in", async () => {
    const dir = await fixture({ "wfctl.yaml": full });
    const { result } = await loadIn(dir);
    expect(result.diagnostics).toEqual([]);
    const config = result.config;
    expect(config?.file).toBe(path.join(dir, "wfctl.yaml"));
    expect(config?.dir).toBe(dir);
    expect(config?.files).toEqual([path.join(dir, "wfctl.yaml")]);
    expect(config?.modules).toEqual([
      { name: "bus", type: "eventbus.memory", config: {}, dependsOn: [], protected: false },
      {
        name: "web",
        type: "http.server",
        config: { address: ":8080" },
        dependsOn: ["bus"],
        protected: true,
      },
    ]);
    expect(config?.pipelines["create-order"]).toEqual({
      name: "create-order",
      trigger: { type: "http", config: { method: "POST", path: "/orders/{id}" } },
      steps: [
        {
          name: "parse",
          type: "step.set",
          config: { values: { id: "{{ .trigger.path_params.id }}" } },
          if: "{{ .trigger.body }}",
          skip_if: "{{ false }}",
          on_error: "continue",
          timeout: "500ms",
          error_status: 422,
        },
      ],
      compensation: [{ name: "undo", type: "step.set", config: { values: {} } }],
      timeout: "5s",
      on_error: "compensate",
      strict_templates: true,
    });
    expect(config?.pipelines.ping).toEqual({
      name: "ping",
      steps: [],
      compensation: [],
      on_error: "stop",
      strict_templates: false,
    });
    expect(config?.sections).toEqual({ build: { targets: [{ name: "web", command: "make" }] } });
    expect(config?.environments).toEqual({});
    expect(config?.envVarsRead).toEqual([]);
  });

  it("is deeply frozen", async () => {
    const { result } = await load({ "wfctl.yaml": full });
    const config = result.config;
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config?.modules[1]?.config)).toBe(true);
    expect(Object.isFrozen(config?.pipelines["create-order"]?.steps[0]?.config.values)).toBe(true);
    const modules = (config?.modules ?? []) as unknown as unknown[];
    expect(() => modules.push({})).toThrow(TypeError);
  });

  it("locates values, list items and pipeline steps; undefined for what is not there", async () => {
    const { result } = await load({ "wfctl.yaml": full });
    const locate = result.config?.locate;
    expect(locate?.(["modules", 1])).toEqual({ file: "wfctl.yaml", line: 5, col: 5 });
    expect(locate?.(["modules", 1, "dependsOn", 0])).toEqual({
      file: "wfctl.yaml",
      line: 7,
      col: 17,
    });
    expect(locate?.(["pipelines", "create-order", "steps", 0, "config", "values", "id"])).toEqual({
      file: "wfctl.yaml",
      line: 19,
      col: 33,
    });
    expect(locate?.(["modules", 7])).toBeUndefined();
    expect(locate?.(["pipelines", "nope"])).toBeUndefined();
  });

  it("never throws on garbage input: it reports it", async () => {
    const { result } = await load({ "wfctl.yaml": "\u0000\u0001: [}\n{{{{\n" });
    expect(result.config).toBeUndefined();
    expect(result.diagnostics.length).toBeGreaterThan(0);
    expect(result.diagnostics.every((d) => d.source?.file === "wfctl.yaml")).toBe(true);
  });

  it("does not let a __proto__ key reach an object's prototype", async () => {
    const { result } = await load({
      "wfctl.yaml": yaml`
        pipelines:
          p:
            steps:
              - name: s
                type: step.set
                config: { values: { __proto__: { polluted: true } } }
      `,
    });
    expect(result.diagnostics).toEqual([]);
    const values = result.config?.pipelines.p?.steps[0]?.config.values as Record<string, unknown>;
    expect(Object.getPrototypeOf(values)).toBe(Object.prototype);
    expect(Object.keys(values)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
