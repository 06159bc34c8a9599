// `wfctl plugin list | remove` and the plugin directory rules of docs/plugins.md, as a
// user sees them: where plugins are looked for, what a broken manifest says.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readPluginManifest } from "../../src/plugins/plugin-manifest.js";
import { repoRoot, runCli } from "../helpers/run-cli.js";
import { tempDir } from "../helpers/temp-dir.js";

function plugin(dir: string, folder: string, manifest: unknown): string {
  const at = path.join(dir, folder);
  mkdirSync(at, { recursive: true });
  writeFileSync(
    path.join(at, "plugin.json"),
    typeof manifest === "string" ? manifest : JSON.stringify(manifest),
  );
  return at;
}

const FAKECLOUD = {
  name: "fakecloud",
  version: "1.2.0",
  command: ["node", "index.js"],
  iac: { provider: "fakecloud" },
  hooks: [{ event: "pre_build", priority: 10, timeout_seconds: 30 }],
  on_hook_failure: "warn",
};

describe("plugin manifests", () => {
  it("reads a manifest with its defaults filled in", () => {
    const dir = tempDir("wfctl-plugins");
    const at = plugin(dir, "notify", {
      name: "notify",
      version: "0.1.0",
      command: ["./notify"],
      hooks: [{ event: "post_build" }],
    });
    expect(readPluginManifest(at)).toEqual({
      name: "notify",
      version: "0.1.0",
      command: ["./notify"],
      hooks: [{ event: "post_build", priority: 0, timeout_seconds: 60 }],
      on_hook_failure: "fail",
    });
  });

  it("names the file and every problem of a broken manifest", () => {
    const dir = tempDir("wfctl-plugins");
    const at = plugin(dir, "bad", {
      name: "Bad Name",
      command: [],
      hooks: [{ event: "pre_bild" }],
      extra: 1,
    });
    expect(() => readPluginManifest(at)).toThrow(
      `${path.join(at, "plugin.json")}: manifest must have required property 'version'; manifest must NOT have additional properties (extra); name must match pattern`,
    );
    expect(() => readPluginManifest(at)).toThrow(
      /command must NOT have fewer than 1 items; hooks\.0\.event must be equal to one of the allowed values: pre_build, /,
    );
    const json = plugin(dir, "json", "{ not json");
    expect(() => readPluginManifest(json)).toThrow(`${path.join(json, "plugin.json")}: `);
  });
});

describe("wfctl plugin list / remove", () => {
  it("lists the plugins of --plugin-dir, warning about broken ones, and removes one", async () => {
    const dir = tempDir("wfctl-plugins");
    plugin(dir, "fakecloud", FAKECLOUD);
    plugin(dir, "notify", {
      name: "notify",
      version: "0.1.0",
      command: ["./notify"],
      hooks: [{ event: "post_build" }],
    });
    plugin(dir, "renamed", { ...FAKECLOUD, name: "other" });
    mkdirSync(path.join(dir, "not-a-plugin"));

    const list = await runCli(["plugin", "list", "--plugin-dir", dir]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/NAME\s+VERSION\s+PROVIDES\s+DIR/);
    expect(list.stdout).toMatch(/fakecloud\s+1\.2\.0\s+iac provider fakecloud; hooks pre_build/);
    expect(list.stdout).toMatch(/notify\s+0\.1\.0\s+hooks post_build/);
    expect(list.stderr).toBe(
      `warning: ${path.join(dir, "renamed")} is not a usable plugin: its manifest names it "other", not "renamed"\n`,
    );

    const json = JSON.parse(
      (await runCli(["plugin", "list", "--plugin-dir", dir, "--json"])).stdout,
    );
    expect(json.plugins.map((p: { name: string }) => p.name)).toEqual(["fakecloud", "notify"]);
    expect(json.plugins[0]).toMatchObject({
      on_hook_failure: "warn",
      hooks: [{ priority: 10, timeout_seconds: 30 }],
    });

    expect(await runCli(["plugin", "remove", "notify", "--plugin-dir", dir])).toMatchObject({
      code: 0,
      stdout: `Removed plugin notify from ${dir}.\n`,
    });
    expect(existsSync(path.join(dir, "notify"))).toBe(false);
    const missing = await runCli(["plugin", "remove", "nope", "--plugin-dir", dir]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`no plugin "nope" in ${dir} (installed: fakecloud)`);
    expect((await runCli(["plugin", "remove", "../x", "--plugin-dir", dir])).code).toBe(1);
  });

  it("looks in $WFCTL_PLUGIN_DIR, else .wfctl/plugins next to the config", async () => {
    const project = tempDir("wfctl-plugins");
    writeFileSync(path.join(project, "wfctl.yaml"), "modules: []\n");
    plugin(path.join(project, ".wfctl", "plugins"), "fakecloud", FAKECLOUD);
    const beside = await runCli([
      "plugin",
      "list",
      "-c",
      path.join(project, "wfctl.yaml"),
      "--json",
    ]);
    expect(JSON.parse(beside.stdout).plugins.map((p: { name: string }) => p.name)).toEqual([
      "fakecloud",
    ]);

    const elsewhere = tempDir("wfctl-plugins");
    const fromEnv = await runCli(["plugin", "list", "-c", path.join(project, "wfctl.yaml")], {
      env: { WFCTL_PLUGIN_DIR: elsewhere },
    });
    expect(fromEnv.stdout).toBe(`No plugins in ${elsewhere}.\n`);
  });
});

describe("wfctl plugin conformance", () => {
  const doubles = path.join(repoRoot, "test/doubles");

  it("runs the kit against a plugin's provider, exit 0 when nothing fails", async () => {
    const run = await runCli([
      "plugin",
      "conformance",
      path.join(doubles, "fake-cloud-plugin"),
      "--smoke",
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^PASSED {2}initialize \(\d+ ms\)$/m);
    expect(run.stdout).toMatch(/^fakecloud 0\.0\.0-test: \d+ passed, 0 failed, \d+ skipped$/m);
  }, 60_000);

  it("exits 1 when scenarios fail, with each one's reason", async () => {
    const run = await runCli([
      "plugin",
      "conformance",
      path.join(doubles, "rpc-test-plugin"),
      "--smoke",
      "--provider-config",
      '{"plan_version":"v1"}',
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('answers compute_plan_version "v1"; this wfctl speaks "v2" only');
  }, 60_000);
});
