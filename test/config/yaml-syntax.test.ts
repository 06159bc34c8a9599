import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { fixture, load, testRegistry, yaml } from "./support.js";

describe("YAML syntax and top level", () => {
  it("reports a syntax error at its position, and nothing built on the broken tree", async () => {
    const { errors, result } = await load({
      "wfctl.yaml": yaml`
        modules:
          - name: web
            type: http.server
            config: { address: ":8080"
          - name: db
      `,
    });
    expect(result.config).toBeUndefined();
    expect(errors).toEqual([
      "wfctl.yaml:5:3: Flow map in block collection must be sufficiently indented and end with a }",
    ]);
  });

  it("reports a bad indentation at its line and column", async () => {
    const { errors } = await load({
      "wfctl.yaml": yaml`
        modules:
          - name: web
           type: http.server
      `,
    });
    expect(errors).toEqual(["wfctl.yaml:3:1: Sequence item without - indicator"]);
  });

  it("reports a duplicate key at the second key, naming the first's line", async () => {
    const { errors, result } = await load({
      "wfctl.yaml": yaml`
        modules:
          - name: web
            type: http.server
            name: api
      `,
    });
    expect(errors).toEqual(['wfctl.yaml:4:5: duplicate key "name" (first defined at line 2)']);
    expect(result.diagnostics[0]?.code).toBe("WF_ERR_CONFIG_PARSE");
  });

  it("reports YAML warnings with their position and still loads", async () => {
    const { messages, result } = await load({
      "wfctl.yaml": yaml`
        modules:
          - name: web
            type: !custom http.server
      `,
    });
    expect(messages).toEqual(["wfctl.yaml:3:11: warning: Unresolved tag: !custom"]);
    expect(result.config?.modules[0]?.type).toBe("http.server");
  });

  it("suggests the nearest top-level key for an unknown one", async () => {
    const { errors } = await load({
      "wfctl.yaml": yaml`
        modules: []
        pipeline:
          x: {}
        buidl: {}
        totally_else: 1
      `,
    });
    expect(errors).toEqual([
      'wfctl.yaml:2:1: unknown top-level key "pipeline" (did you mean "pipelines"?)',
      'wfctl.yaml:4:1: unknown top-level key "buidl" (did you mean "build"?)',
      'wfctl.yaml:5:1: unknown top-level key "totally_else"',
    ]);
  });

  it("requires the top level to be a mapping", async () => {
    const { errors } = await load({ "wfctl.yaml": "- a\n- b\n" });
    expect(errors).toEqual([
      "wfctl.yaml:1:1: a config file must be a mapping of top-level keys (imports, modules, pipelines, …)",
    ]);
  });

  it("loads an empty file as an empty config", async () => {
    const { result } = await load({ "wfctl.yaml": "" });
    expect(result.diagnostics).toEqual([]);
    expect(result.config?.modules).toEqual([]);
    expect(result.config?.pipelines).toEqual({});
  });

  it("reports a missing top-level file without a position", async () => {
    const { result } = await load({}, { file: "nope.yaml" });
    expect(result.config).toBeUndefined();
    expect(result.diagnostics).toEqual([
      {
        severity: "error",
        code: "WF_ERR_CONFIG_NOT_FOUND",
        message: 'config file "nope.yaml" not found',
      },
    ]);
  });

  it("expands anchors, aliases and merge keys, keeping explicit keys", async () => {
    const { result } = await load({
      "wfctl.yaml": yaml`
        modules:
          - name: a
            type: database.postgres
            config: &pg { dsn: "postgres://x", pool_size: 2 }
          - name: b
            type: database.postgres
            config:
              <<: *pg
              pool_size: 5
      `,
    });
    expect(result.diagnostics).toEqual([]);
    expect(result.config?.modules.map((m) => m.config)).toEqual([
      { dsn: "postgres://x", pool_size: 2 },
      { dsn: "postgres://x", pool_size: 5 },
    ]);
  });

  it("rejects an alias bomb instead of expanding it", async () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(",")}]`);
    }
    const { errors } = await load({ "wfctl.yaml": `${levels.join("\n")}\n` });
    expect(errors.some((e) => e.includes("too many alias expansions"))).toBe(true);
  });

  it("names files relative to the working directory when inside it, else absolutely", async () => {
    const dir = await fixture({ "sub/wfctl.yaml": "modules: 3\n" });
    const inside = await loadConfig("sub/wfctl.yaml", {
      registry: testRegistry(),
      cwd: dir,
      environ: {},
    });
    expect(inside.diagnostics[0]?.source?.file).toBe(path.join("sub", "wfctl.yaml"));
    const elsewhere = await loadConfig(path.join(dir, "sub/wfctl.yaml"), {
      registry: testRegistry(),
      cwd: path.join(dir, "sub", "nested"),
      environ: {},
    });
    expect(elsewhere.diagnostics[0]?.source?.file).toBe(path.join(dir, "sub", "wfctl.yaml"));
  });

  it("defaults the working directory to process.cwd()", async () => {
    const dir = await fixture({ "wfctl.yaml": "modules: 3\n" });
    const result = await loadConfig(path.join(dir, "wfctl.yaml"), {
      registry: testRegistry(),
      environ: {},
    });
    const expected = path.relative(process.cwd(), path.join(dir, "wfctl.yaml"));
    const shown = expected.startsWith("..") ? path.join(dir, "wfctl.yaml") : expected;
    expect(result.diagnostics.map((d) => d.source?.file)).toEqual([shown]);
    expect(result.diagnostics[0]?.message).toBe(
      '"modules" must be a list of modules, got an integer (3)',
    );
  });
});
