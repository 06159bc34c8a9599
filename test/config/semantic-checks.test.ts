import { describe, expect, it } from "vitest";
import { load, yaml } from "./support.js";

describe("semantic checks", () => {
  it("requires dependsOn entries to name declared modules, suggesting the nearest", async () => {
    const { errors, result } = await load({
      "wfctl.yaml": yaml`
        modules:
          - name: database
            type: eventbus.memory
          - name: web
            type: http.server
            dependsOn: [databse, cache]
      `,
    });
    expect(errors).toEqual([
      'wfctl.yaml:6:17: module "web" depends on unknown module "databse" (did you mean "database"?)',
      'wfctl.yaml:6:26: module "web" depends on unknown module "cache"',
    ]);
    expect(result.diagnostics.map((d) => d.code)).toEqual([
      "WF_ERR_CONFIG_REFERENCE",
      "WF_ERR_CONFIG_REFERENCE",
    ]);
  });

  it("rejects a module depending on itself", async () => {
    const { errors, result } = await load({
      "wfctl.yaml": yaml`
        modules:
          - name: web
            type: http.server
            dependsOn:
              - web
      `,
    });
    expect(errors).toEqual(['wfctl.yaml:5:9: module "web" depends on itself']);
    expect(result.diagnostics[0]?.code).toBe("WF_ERR_CONFIG_CYCLE");
  });

  it("reports a dependency cycle once, naming it from its first-declared module", async () => {
    const { errors } = await load({
      "wfctl.yaml": yaml`
        modules:
          - name: c
            type: eventbus.memory
            dependsOn: [a]
          - name: a
            type: eventbus.memory
            dependsOn: [b]
          - name: b
            type: eventbus.memory
            dependsOn: [c]
          - name: ok
            type: eventbus.memory
            dependsOn: [a]
      `,
    });
    expect(errors).toEqual(["wfctl.yaml:4:17: dependency cycle: c -> a -> b -> c"]);
  });

  it("checks config.depends_on of infra.* modules, by module or resource name", async () => {
    const { errors } = await load({
      "wfctl.yaml": yaml`
        modules:
          - name: app-db
            type: infra.database
            config: { name: main-db }
          - name: api
            type: infra.container_service
            config:
              depends_on: [main-db, app-db, ap-db]
      `,
    });
    expect(errors).toEqual([
      'wfctl.yaml:8:37: module "api" depends on unknown module "ap-db" (did you mean "app-db"?)',
    ]);
  });

  it("finds cycles through infra.* depends_on too", async () => {
    const { errors } = await load({
      "wfctl.yaml": yaml`
        modules:
          - name: a
            type: infra.x
            config: { depends_on: [b] }
          - name: b
            type: infra.y
            dependsOn: [a]
      `,
    });
    expect(errors).toEqual(["wfctl.yaml:4:28: dependency cycle: a -> b -> a"]);
  });

  it("requires infra.* resource names to be unique", async () => {
    const { errors, result } = await load({
      "wfctl.yaml": yaml`
        modules:
          - name: db
            type: infra.database
          - name: db-copy
            type: infra.database
            config:
              name: db
      `,
    });
    expect(errors).toEqual([
      'wfctl.yaml:7:13: resource name "db" of module "db-copy" is already used by module "db" (line 2)',
    ]);
    expect(result.diagnostics[0]?.code).toBe("WF_ERR_CONFIG_DUPLICATE");
  });

  it("requires step names to be unique within steps and within compensation", async () => {
    const { errors, result } = await load({
      "wfctl.yaml": yaml`
        pipelines:
          p:
            on_error: compensate
            steps:
              - { name: charge, type: step.set, config: { values: {} } }
              - { name: charge, type: step.set, config: { values: {} } }
            compensation:
              - { name: charge, type: step.set, config: { values: {} } }
      `,
    });
    expect(errors).toEqual([
      'wfctl.yaml:6:17: duplicate step name "charge" in pipeline "p" (first defined at line 5)',
    ]);
    expect(result.diagnostics[0]?.code).toBe("WF_ERR_CONFIG_DUPLICATE");
  });

  it("requires step.conditional routes and default to name steps of the pipeline", async () => {
    const { errors } = await load({
      "wfctl.yaml": yaml`
        pipelines:
          p:
            steps:
              - name: route
                type: step.conditional
                config:
                  field: "{{ .trigger.body.kind }}"
                  routes:
                    book: ship-book
                    food: ship-fod
                    any: "{{ .steps.x.next }}"
                  default: fallback
              - { name: ship-book, type: step.set, config: { values: {} } }
              - { name: ship-food, type: step.set, config: { values: {} } }
      `,
    });
    expect(errors).toEqual([
      'wfctl.yaml:10:19: step "route" in pipeline "p" routes to unknown step "ship-fod" (did you mean "ship-food"?)',
      'wfctl.yaml:12:20: step "route" in pipeline "p" routes to unknown step "fallback"',
    ]);
  });

  it("accepts a config whose references all resolve", async () => {
    const { result } = await load({
      "wfctl.yaml": yaml`
        modules:
          - { name: bus, type: eventbus.memory }
          - { name: web, type: http.server, dependsOn: [bus] }
        pipelines:
          p:
            steps:
              - name: route
                type: step.conditional
                config: { field: x, routes: { a: done }, default: done }
              - { name: done, type: step.json_response, config: { status: 200 } }
      `,
    });
    expect(result.diagnostics).toEqual([]);
  });
});
