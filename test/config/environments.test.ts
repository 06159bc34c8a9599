import { describe, expect, it } from "vitest";
import { load, yaml } from "./support.js";

const config = yaml`
  environments:
    staging: {}
    production:
      region: nyc3
      provider: do
      vars: { LOG_LEVEL: warn, POOL: 20 }
  modules:
    - name: web
      type: http.server
      config:
        address: ":8080"
        request_id: true
      environments:
        production:
          config:
            address: ":80"
    - name: debug-bus
      type: eventbus.memory
      environments:
        production: null
    - name: db
      type: database.postgres
      config:
        dsn: "postgres://\${LOG_LEVEL:-x}"
        pool_size: \${POOL:-1}
    - name: app-db
      type: infra.database
      config: { provider: local, engine: postgres }
      environments:
        staging: { config: { engine: sqlite, size: null }, protected: true }
`;

describe("environments", () => {
  it("applies nothing without --env", async () => {
    const { result } = await load({ "wfctl.yaml": config });
    expect(result.diagnostics).toEqual([]);
    expect(result.config?.env).toBeUndefined();
    expect(result.config?.modules.map((m) => m.name)).toEqual(["web", "debug-bus", "db", "app-db"]);
    expect(result.config?.modules[0]?.config).toEqual({ address: ":8080", request_id: true });
    expect(result.config?.modules[2]?.config).toEqual({ dsn: "postgres://x", pool_size: 1 });
  });

  it("disables a module whose environment entry is null", async () => {
    const { result } = await load({ "wfctl.yaml": config }, { env: "production" });
    expect(result.diagnostics).toEqual([]);
    expect(result.config?.env).toBe("production");
    expect(result.config?.modules.map((m) => m.name)).toEqual(["web", "db", "app-db"]);
  });

  it("deep-merges an override over the base config, and locates the overridden value at the override", async () => {
    const { result } = await load({ "wfctl.yaml": config }, { env: "production" });
    const web = result.config?.modules[0];
    expect(web?.config).toEqual({ address: ":80", request_id: true });
    expect(result.config?.locate(["modules", 0, "config", "address"])).toEqual({
      file: "wfctl.yaml",
      line: 16,
      col: 20,
    });
    expect(result.config?.locate(["modules", 0, "config", "request_id"])).toEqual({
      file: "wfctl.yaml",
      line: 12,
      col: 19,
    });
  });

  it("uses environment vars as defaults for ${VAR}, the process environment first", async () => {
    const prod = await load({ "wfctl.yaml": config }, { env: "production" });
    expect(prod.result.config?.modules[1]?.config).toEqual({
      dsn: "postgres://warn",
      pool_size: 20,
    });
    const overridden = await load(
      { "wfctl.yaml": config },
      { env: "production", environ: { LOG_LEVEL: "debug" } },
    );
    expect(overridden.result.config?.modules[1]?.config).toEqual({
      dsn: "postgres://debug",
      pool_size: 20,
    });
  });

  it("defaults region and provider of infra.* modules that lack them", async () => {
    const { result } = await load({ "wfctl.yaml": config }, { env: "production" });
    const appDb = result.config?.modules.find((m) => m.name === "app-db");
    // provider is set by the module, region comes from the environment.
    expect(appDb?.config).toEqual({ provider: "local", engine: "postgres", region: "nyc3" });
    expect(result.config?.locate(["modules", 2, "config", "region"])).toEqual({
      file: "wfctl.yaml",
      line: 4,
      col: 13,
    });
  });

  it("applies protected from an override and removes keys set to null", async () => {
    const { result } = await load(
      { "wfctl.yaml": config.replace("engine: postgres }", "engine: postgres, size: s }") },
      { env: "staging" },
    );
    expect(result.diagnostics).toEqual([]);
    const appDb = result.config?.modules.find((m) => m.name === "app-db");
    expect(appDb?.config).toEqual({ provider: "local", engine: "sqlite" });
    expect(appDb?.protected).toBe(true);
  });

  it("reports an unknown --env with a suggestion", async () => {
    const { result } = await load({ "wfctl.yaml": config }, { env: "prodution" });
    expect(result.config).toBeUndefined();
    expect(result.diagnostics).toEqual([
      {
        severity: "error",
        code: "WF_ERR_CONFIG_ENVIRONMENT",
        message:
          'environment "prodution" is not declared in the config (did you mean "production"?)',
      },
    ]);
  });

  it("accepts an --env declared only by a module override", async () => {
    const { result } = await load(
      {
        "wfctl.yaml": yaml`
        modules:
          - name: bus
            type: eventbus.memory
            environments: { ci: null }
      `,
      },
      { env: "ci" },
    );
    expect(result.diagnostics).toEqual([]);
    expect(result.config?.modules).toEqual([]);
  });

  it("says so when the config declares no environments", async () => {
    const { result } = await load({ "wfctl.yaml": "modules: []\n" }, { env: "prod" });
    expect(result.diagnostics.map((d) => d.message)).toEqual([
      'environment "prod" is not declared in the config (it declares no environments)',
    ]);
  });

  it("warns about a module override for an environment the top level does not declare", async () => {
    const { warnings, result } = await load({
      "wfctl.yaml": yaml`
        environments:
          staging: {}
        modules:
          - name: bus
            type: eventbus.memory
            environments:
              stagign: null
      `,
    });
    expect(result.config).toBeDefined();
    expect(warnings).toEqual([
      'wfctl.yaml:7:7: warning: module "bus" overrides environment "stagign", which top-level environments does not declare (did you mean "staging"?)',
    ]);
  });

  it("reports a dependency on a module the environment disables", async () => {
    const { errors } = await load(
      {
        "wfctl.yaml": yaml`
          modules:
            - name: bus
              type: eventbus.memory
              environments: { test: null }
            - name: web
              type: http.server
              dependsOn: [bus]
        `,
      },
      { env: "test" },
    );
    expect(errors).toEqual([
      'wfctl.yaml:7:17: module "web" depends on "bus", which environment "test" disables',
    ]);
  });

  it("validates the merged config, pointing at the override", async () => {
    const { errors } = await load(
      {
        "wfctl.yaml": yaml`
          environments: { prod: {} }
          modules:
            - name: web
              type: http.server
              config: { address: ":80" }
              environments:
                prod:
                  config: { request_id: "sure" }
        `,
      },
      { env: "prod" },
    );
    expect(errors).toEqual([
      'wfctl.yaml:8:31: "request_id" must be a boolean, got a string ("sure")',
    ]);
  });
});
