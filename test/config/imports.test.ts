import path from "node:path";
import { describe, expect, it } from "vitest";
import { fixture, load, loadIn, yaml } from "./support.js";

const server = (name: string, address: string) => yaml`
  - name: ${name}
    type: http.server
    config: { address: "${address}" }
`;

describe("imports", () => {
  it("reports an import cycle at the import entry, naming the chain", async () => {
    const { errors, result } = await load(
      {
        "a.yaml": yaml`
        imports: [b.yaml]
        modules: []
      `,
        "b.yaml": yaml`
        modules: []
        imports:
          - a.yaml
      `,
      },
      { file: "a.yaml" },
    );
    expect(result.config).toBeUndefined();
    expect(errors).toEqual(["b.yaml:3:5: import cycle: a.yaml -> b.yaml -> a.yaml"]);
    expect(result.diagnostics[0]?.code).toBe("WF_ERR_CONFIG_IMPORT");
    expect(result.diagnostics[0]?.path).toBe("imports[0]");
  });

  it("reports a file importing itself", async () => {
    const { errors } = await load({ "wfctl.yaml": "imports: [wfctl.yaml]\n" });
    expect(errors).toEqual(["wfctl.yaml:1:11: import cycle: wfctl.yaml -> wfctl.yaml"]);
  });

  it("reports a missing import at the import entry", async () => {
    const { errors } = await load({
      "wfctl.yaml": yaml`
        imports:
          - common.yaml
          - nope/missing.yaml
      `,
      "common.yaml": "modules: []\n",
    });
    expect(errors).toEqual([
      `wfctl.yaml:3:5: imported file "nope/missing.yaml" not found (looked for ${path.join("nope", "missing.yaml")})`,
    ]);
  });

  it("lets a module of the importing file replace the imported one, in place", async () => {
    const { result } = await load({
      "common.yaml": yaml`
        modules:
          - name: web
            type: http.server
            config: { address: ":80" }
          - name: admin
            type: http.server
      `,
      "wfctl.yaml": yaml`
        imports: [common.yaml]
        modules:
          - name: api
            type: http.server
          - name: web
            type: http.server
            config: { address: ":9090" }
      `,
    });
    expect(result.diagnostics).toEqual([]);
    const modules = result.config?.modules ?? [];
    expect(modules.map((m) => m.name)).toEqual(["web", "admin", "api"]);
    expect(modules[0]?.config).toEqual({ address: ":9090" });
    expect(result.config?.locate(["modules", 0, "config", "address"])).toEqual({
      file: "wfctl.yaml",
      line: 7,
      col: 24,
    });
    expect(result.config?.locate(["modules", 1, "name"])).toEqual({
      file: "common.yaml",
      line: 5,
      col: 11,
    });
  });

  it("reports two modules of one name in one file at the second, naming the first's line", async () => {
    const { errors } = await load({
      "wfctl.yaml": yaml`
        modules:
          - name: web
            type: http.server
          - name: db
            type: eventbus.memory
          - name: web
            type: http.server
      `,
    });
    expect(errors).toEqual([
      'wfctl.yaml:6:11: duplicate module name "web" (first defined at line 2)',
    ]);
  });

  it("merges pipelines, environments and sections per key, the importing file winning", async () => {
    const { result } = await load({
      "common.yaml": yaml`
        pipelines:
          a: { steps: [{ name: s, type: step.set, config: { values: { from: common } } }] }
          b: { steps: [] }
        environments:
          prod: { region: ams3 }
        build:
          targets: [{ name: from-common }]
      `,
      "wfctl.yaml": yaml`
        imports: [common.yaml]
        pipelines:
          a: { steps: [{ name: s, type: step.set, config: { values: { from: main } } }] }
        environments:
          dev: {}
        build:
          targets: [{ name: from-main }]
      `,
    });
    expect(result.diagnostics).toEqual([]);
    const config = result.config;
    expect(Object.keys(config?.pipelines ?? {})).toEqual(["a", "b"]);
    expect(config?.pipelines.a?.steps[0]?.config).toEqual({ values: { from: "main" } });
    expect(config?.environments).toEqual({ prod: { region: "ams3" }, dev: {} });
    expect(config?.sections).toEqual({ build: { targets: [{ name: "from-main" }] } });
  });

  it("lets a later import win over an earlier one", async () => {
    const { result } = await load({
      "wfctl.yaml": "imports: [a.yaml, b.yaml]\n",
      "a.yaml": `modules:\n${server("web", ":1")}pipelines: { p: { on_error: skip } }\n`,
      "b.yaml": `modules:\n${server("web", ":2")}pipelines: { p: { on_error: stop } }\n`,
    });
    expect(result.diagnostics).toEqual([]);
    expect(result.config?.modules.map((m) => m.config)).toEqual([{ address: ":2" }]);
    expect(result.config?.pipelines.p?.on_error).toBe("stop");
  });

  it("resolves nested imports relative to the importing file and lists every file", async () => {
    const dir = await fixture({
      "wfctl.yaml": "imports: [lib/base.yaml]\n",
      "lib/base.yaml": "imports: [./db.yaml]\nmodules: []\n",
      "lib/db.yaml": `modules:\n${server("web", ":1")}`,
    });
    const { result } = await loadIn(dir);
    expect(result.diagnostics).toEqual([]);
    expect(result.config?.modules.map((m) => m.name)).toEqual(["web"]);
    expect(result.config?.files).toEqual([
      path.join(dir, "wfctl.yaml"),
      path.join(dir, "lib/base.yaml"),
      path.join(dir, "lib/db.yaml"),
    ]);
  });

  it("loads a file imported twice (a diamond) once", async () => {
    const { result } = await load({
      "wfctl.yaml": "imports: [a.yaml, b.yaml]\n",
      "a.yaml": "imports: [shared.yaml]\npipelines: { a: {} }\n",
      "b.yaml": "imports: [shared.yaml]\npipelines: { b: {} }\n",
      "shared.yaml": `modules:\n${server("web", ":1")}`,
    });
    expect(result.diagnostics).toEqual([]);
    expect(result.config?.modules.map((m) => m.name)).toEqual(["web"]);
    expect(result.config?.files).toHaveLength(4);
  });

  it("warns about an import that defines nothing", async () => {
    const { warnings, result } = await load({
      "wfctl.yaml": "imports: [empty.yaml, comments.yaml]\n",
      "empty.yaml": "",
      "comments.yaml": "# nothing yet\nmodules: []\n",
    });
    expect(result.config).toBeDefined();
    expect(warnings).toEqual([
      'wfctl.yaml:1:11: warning: imported file "empty.yaml" defines nothing',
      'wfctl.yaml:1:23: warning: imported file "comments.yaml" defines nothing',
    ]);
  });

  it("checks unknown top-level keys of imported files in those files", async () => {
    const { errors } = await load({
      "wfctl.yaml": "imports: [common.yaml]\n",
      "common.yaml": "modulse: []\n",
    });
    expect(errors).toEqual([
      'common.yaml:1:1: unknown top-level key "modulse" (did you mean "modules"?)',
    ]);
  });

  it("requires imports to be a list of paths", async () => {
    const { errors } = await load({ "wfctl.yaml": "imports: common.yaml\n" });
    expect(errors).toEqual(['wfctl.yaml:1:10: "imports" must be a list of file paths']);
  });
});
