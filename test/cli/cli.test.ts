import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";
import { tempDir } from "../helpers/temp-dir.js";

const groups = [
  "validate",
  "schema",
  "run",
  "pipeline",
  "executions",
  "infra",
  "migrate",
  "tenants",
  "build",
  "plugin",
];

async function tempConfig(
  yaml: string,
  name = "wfctl.yaml",
): Promise<{ dir: string; file: string }> {
  const dir = tempDir("wfctl-cli");
  const file = path.join(dir, name);
  await writeFile(file, yaml);
  return { dir, file };
}

describe("wfctl --help", () => {
  it("lists every command group of the CLI contract and the exit codes", async () => {
    const run = await runCli(["--help"]);
    expect(run.code).toBe(0);
    for (const group of groups) expect(run.stdout).toMatch(new RegExp(`^  ${group}\\b`, "m"));
    expect(run.stdout).toContain("Exit codes: 0 success, 1 error, 2 changes/drift present");
    for (const flag of ["--config", "--env", "--json", "--no-color", "--quiet", "--verbose"]) {
      expect(run.stdout).toContain(flag);
    }
  });

  it.each(groups)("`%s --help` shows an example", async (group) => {
    const run = await runCli([group, "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Examples?( \(once available\))?:\n {2}\$ wfctl /);
  });

  it("prints help to stderr and exits 1 when no command is given", async () => {
    const run = await runCli([]);
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toContain("Usage: wfctl");
  });
});

describe("usage errors", () => {
  it("suggests the nearest command for a typo and exits 1", async () => {
    const run = await runCli(["valdate"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("unknown command 'valdate'");
    expect(run.stderr).toContain("validate");
  });

  it("rejects an unknown flag with exit 1", async () => {
    const run = await runCli(["validate", "--frobnicate"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("unknown option '--frobnicate'");
  });

  it("prints the version", async () => {
    const run = await runCli(["--version"]);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe("wfctl validate", () => {
  it.each([
    "examples/app/wfctl.yaml",
    "examples/infra/wfctl.yaml",
    "examples/build/wfctl.yaml",
    "examples/local-stack/wfctl.yaml",
  ])("accepts the example %s", async (file) => {
    const run = await runCli(["validate", "-c", file]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^${file} is valid: \\d+ modules?, \\d+ pipelines?\\n$`));
  });

  it("accepts the infra example under --env production", async () => {
    const run = await runCli([
      "validate",
      "-c",
      "examples/infra/wfctl.yaml",
      "--env",
      "production",
    ]);
    expect(run.code).toBe(0);
  });

  it("also reports what only building the pipelines finds: templates, a trigger's missing module", async () => {
    const { dir } = await tempConfig(
      [
        "pipelines:",
        "  hello:",
        "    steps:",
        "      - name: greet",
        "        type: step.set",
        '        config: { values: { text: "{{ .name | uper }}" } }',
        "  served:",
        "    trigger: { type: http, config: { path: /hi } }",
        "    steps:",
        "      - name: s",
        "        type: step.set",
        "        config: { values: { ok: true } }",
        "",
      ].join("\n"),
    );
    const run = await runCli(["validate"], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^wfctl\.yaml:6:\d+: .*unknown function "uper" \(did you mean "upper"\?\)/m,
    );
    expect(run.stderr).toMatch(
      /^wfctl\.yaml:8:\d+: pipeline "served" has an http trigger, but no module is an http\.server/m,
    );
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("reports every error as FILE:LINE:COL and exits 1, without a stack trace", async () => {
    const { dir } = await tempConfig(
      [
        "modules:",
        "  - name: web",
        "    type: http.sever",
        "  - name: db",
        "    type: database.sqlite",
        "    config:",
        "      pth: app.db",
        "",
      ].join("\n"),
    );
    const run = await runCli(["validate"], { cwd: dir });
    expect(run.code).toBe(1);
    const lines = run.stderr.trim().split("\n");
    expect(lines).toContainEqual(
      expect.stringMatching(/^wfctl\.yaml:3:11: .*"http\.sever".*"http\.server"/),
    );
    expect(lines).toContainEqual(expect.stringMatching(/^wfctl\.yaml:7:7: .*"pth"/));
    expect(lines).toContainEqual(
      'wfctl.yaml:6:5: module "db" config is missing required key "path"',
    );
    expect(lines.at(-1)).toBe("Error: wfctl.yaml is not valid: 3 errors");
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stdout).toBe("");
  });

  it("reports a YAML syntax error with its position", async () => {
    const { dir } = await tempConfig("modules:\n  - name: web\n    type: [http.server\n");
    const run = await runCli(["validate"], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^wfctl\.yaml:\d+:\d+: /m);
  });

  it("prints a JSON document with --json", async () => {
    const { dir } = await tempConfig("modules:\n  - name: web\n    type: http.sever\n");
    const run = await runCli(["validate", "--json"], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("");
    const doc = JSON.parse(run.stdout) as {
      version: number;
      valid: boolean;
      errors: { file: string; line: number; col: number; code: string; message: string }[];
    };
    expect(doc.version).toBe(1);
    expect(doc.valid).toBe(false);
    expect(doc.errors).toEqual([
      expect.objectContaining({
        file: "wfctl.yaml",
        line: 3,
        col: 11,
        code: "WF_ERR_CONFIG_UNKNOWN_TYPE",
      }),
    ]);
  });

  it("prints a summary with --json when valid", async () => {
    const run = await runCli(["validate", "-c", "examples/app/wfctl.yaml", "--json"]);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout) as { valid: boolean; summary: { modules: number } };
    expect(doc.valid).toBe(true);
    expect(doc.summary.modules).toBe(5);
  });

  it("finds infra.yaml when there is no wfctl.yaml", async () => {
    const { dir } = await tempConfig(
      "modules:\n  - name: bus\n    type: eventbus.memory\n",
      "infra.yaml",
    );
    const run = await runCli(["validate"], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("infra.yaml is valid: 1 module, 0 pipelines\n");
  });

  it("says which files it looked for when there is no config", async () => {
    const dir = tempDir("wfctl-empty");
    const run = await runCli(["validate"], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("wfctl.yaml, infra.yaml, config/infra.yaml");
    expect(run.stderr).toContain("-c FILE");
  });

  it("names a missing -c file", async () => {
    const run = await runCli(["validate", "-c", "does-not-exist.yaml"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("does-not-exist.yaml");
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("expands ${VAR} from the environment", async () => {
    const { dir } = await tempConfig(
      "modules:\n  - name: db\n    type: database.sqlite\n    config:\n      path: ${DB_FILE}\n",
    );
    const unset = await runCli(["validate"], { cwd: dir });
    expect(unset.code).toBe(1);
    expect(unset.stderr).toMatch(/^wfctl\.yaml:5:13: .*"DB_FILE"/m);
    const set = await runCli(["validate"], { cwd: dir, env: { DB_FILE: "x.db" } });
    expect(set.code).toBe(0);
  });
});

describe("wfctl schema", () => {
  it("prints a JSON Schema naming every registered module type", async () => {
    const run = await runCli(["schema"]);
    expect(run.code).toBe(0);
    const text = run.stdout;
    const schema = JSON.parse(text) as Record<string, unknown>;
    expect(schema.$schema).toMatch(/json-schema\.org/);
    for (const type of [
      "http.server",
      "database.sqlite",
      "iac.provider",
      "infra.container_service",
    ]) {
      expect(text).toContain(`"${type}"`);
    }
  });
});
