import { describe, expect, it } from "vitest";
import { load, yaml } from "./support.js";

const infraApi = yaml`
  modules:
    - name: api
      type: infra.container_service
      config:
        region: "\${REGION}"
        env_vars: { DATABASE_URL: "\${app-db.uri}", TOKEN: "\${API_TOKEN}" }
        env_vars_secret: { KEY: "\${SECRET_KEY:-none}" }
`;

describe("${VAR} expansion in module config", () => {
  it("expands ${VAR} and ${VAR:-default}, and records the names read", async () => {
    const { result } = await load(
      {
        "wfctl.yaml": yaml`
          modules:
            - name: db
              type: database.postgres
              config:
                dsn: "postgres://\${DB_USER}@\${DB_HOST:-localhost}/app"
                pool_size: \${POOL:-5}
        `,
      },
      { environ: { DB_USER: "app" } },
    );
    expect(result.diagnostics).toEqual([]);
    expect(result.config?.modules[0]?.config).toEqual({
      dsn: "postgres://app@localhost/app",
      // An unquoted value that is exactly one ${VAR} reads as a number.
      pool_size: 5,
    });
    expect(result.config?.envVarsRead).toEqual(["DB_HOST", "DB_USER", "POOL"]);
  });

  it("uses the default when the variable is empty, as the shell does", async () => {
    const { result } = await load(
      {
        "wfctl.yaml": yaml`
          modules:
            - { name: web, type: http.server, config: { address: "\${ADDR:-:8080}" } }
        `,
      },
      { environ: { ADDR: "" } },
    );
    expect(result.config?.modules[0]?.config).toEqual({ address: ":8080" });
  });

  it("keeps a quoted ${VAR} a string", async () => {
    const { errors } = await load(
      {
        "wfctl.yaml": yaml`
          modules:
            - name: db
              type: database.postgres
              config: { dsn: x, pool_size: "\${POOL}" }
        `,
      },
      { environ: { POOL: "5" } },
    );
    expect(errors).toEqual(['wfctl.yaml:4:34: "pool_size" must be an integer, got a string ("5")']);
  });

  it("turns $${ into a literal ${ and leaves ${module.field} references alone", async () => {
    const { result } = await load({
      "wfctl.yaml": yaml`
        modules:
          - name: web
            type: http.server
            config:
              address: "$\${NOT_A_VAR} \${app-db.uri} \${app-db.host:-x}"
      `,
    });
    expect(result.diagnostics).toEqual([]);
    expect(result.config?.modules[0]?.config).toEqual({
      address: "${NOT_A_VAR} ${app-db.uri} ${app-db.host:-x}",
    });
    expect(result.config?.envVarsRead).toEqual([]);
  });

  it("reports an unset variable without a default at the string's position", async () => {
    const { errors, result } = await load({
      "wfctl.yaml": yaml`
        modules:
          - name: db
            type: database.postgres
            config:
              dsn: "postgres://\${DB_HOST}/\${DB_NAME:-app}"
      `,
    });
    expect(errors).toEqual([
      'wfctl.yaml:5:12: environment variable "DB_HOST" is not set (give a default with ${DB_HOST:-value})',
    ]);
    expect(result.diagnostics[0]).toMatchObject({
      code: "WF_ERR_CONFIG_ENV_VAR",
      path: "modules[0].config.dsn",
    });
  });

  it("evaluates nested defaults only when needed", async () => {
    const { result } = await load(
      {
        "wfctl.yaml": yaml`
          modules:
            - { name: web, type: http.server, config: { address: "\${A:-\${B:-:1}}" } }
        `,
      },
      { environ: { A: ":2" } },
    );
    expect(result.config?.modules[0]?.config).toEqual({ address: ":2" });
    expect(result.config?.envVarsRead).toEqual(["A"]);
  });

  it("reports malformed references", async () => {
    const { errors } = await load({
      "wfctl.yaml": yaml`
        modules:
          - name: web
            type: http.server
            config: { address: "\${UNCLOSED" }
          - name: web2
            type: http.server
            config: { address: "\${}" }
          - name: web3
            type: http.server
            config: { address: "\${1BAD}" }
      `,
    });
    expect(errors).toEqual([
      'wfctl.yaml:4:24: unterminated "${" in "${UNCLOSED" (close it with "}", or write "$${" for a literal "${")',
      'wfctl.yaml:7:24: empty variable reference "${}"',
      'wfctl.yaml:10:24: invalid variable reference "${1BAD}": a name is letters, digits and _ (not starting with a digit), optionally followed by :-default',
    ]);
  });

  it("leaves env_vars and env_vars_secret of infra.* modules literal, but records their variables", async () => {
    const { result } = await load(
      { "wfctl.yaml": infraApi },
      { environ: { REGION: "nyc3", API_TOKEN: "t0k" } },
    );
    expect(result.diagnostics).toEqual([]);
    expect(result.config?.modules[0]?.config).toEqual({
      region: "nyc3",
      env_vars: { DATABASE_URL: "${app-db.uri}", TOKEN: "${API_TOKEN}" },
      env_vars_secret: { KEY: "${SECRET_KEY:-none}" },
    });
    expect(result.config?.envVarsRead).toEqual(["API_TOKEN", "REGION", "SECRET_KEY"]);
  });

  it("keeps $${ escaped in infra.* config, which the IaC engine substitutes again at apply", async () => {
    const { result } = await load(
      {
        "wfctl.yaml": yaml`
          modules:
            - name: site
              type: infra.static_site
              config:
                provider: p
                output_dir: "dist-$\${literal}-\${SUFFIX}"
                build_command: "echo $\${HOME}"
            - name: db
              type: database.postgres
              config: { dsn: "$\${not-expanded}" }
        `,
      },
      { environ: { SUFFIX: "a${b}" } },
    );
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(result.config?.modules[0]?.config).toMatchObject({
      output_dir: "dist-$${literal}-a$${b}",
      build_command: "echo $${HOME}",
    });
    // App modules get one pass only: the escape is consumed.
    expect(result.config?.modules[1]?.config).toEqual({ dsn: "${not-expanded}" });
  });

  it("does not require variables of env_vars to be set at load", async () => {
    const { result } = await load({ "wfctl.yaml": infraApi }, { environ: { REGION: "x" } });
    expect(result.diagnostics).toEqual([]);
  });

  it("does not expand pipelines or other sections", async () => {
    const { result } = await load({
      "wfctl.yaml": yaml`
        pipelines:
          p:
            steps:
              - { name: s, type: step.set, config: { values: { v: "\${NOPE}" } } }
      `,
    });
    expect(result.diagnostics).toEqual([]);
    expect(result.config?.pipelines.p?.steps[0]?.config).toEqual({ values: { v: "${NOPE}" } });
  });

  it("reads variables from process.env by default", async () => {
    process.env.WFCTL_TEST_ADDR = ":7070";
    try {
      const { result } = await load(
        {
          "wfctl.yaml": yaml`
            modules:
              - { name: web, type: http.server, config: { address: "\${WFCTL_TEST_ADDR}" } }
          `,
        },
        { environ: undefined },
      );
      expect(result.config?.modules[0]?.config).toEqual({ address: ":7070" });
    } finally {
      delete process.env.WFCTL_TEST_ADDR;
    }
  });
});
