// `wfctl build` as a user runs it: targets in order, outputs collected with a
// SHA256SUMS manifest, and the hook events plugins see, in order, with their payloads.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";
import { tempDir } from "../helpers/temp-dir.js";

/** A project with `targets`, and a plugin recording every hook event it gets. */
function project(targets: string, recorder: object = {}) {
  const dir = tempDir("wfctl-build");
  writeFileSync(
    path.join(dir, "wfctl.yaml"),
    `build:\n  targets:\n${targets}\n  artifacts:\n    dir: ./artifacts\n`,
  );
  const plugin = path.join(dir, ".wfctl", "plugins", "recorder");
  mkdirSync(plugin, { recursive: true });
  const events = [
    "pre_build",
    "pre_target_build",
    "post_target_build",
    "pre_artifacts_publish",
    "post_artifacts_publish",
    "pre_build_fail",
    "post_build",
  ];
  writeFileSync(
    path.join(plugin, "plugin.json"),
    JSON.stringify({
      name: "recorder",
      version: "1",
      command: ["node", "hook.mjs"],
      hooks: events.map((event) => ({ event })),
      ...recorder,
    }),
  );
  writeFileSync(
    path.join(plugin, "hook.mjs"),
    `import { appendFileSync, readFileSync } from "node:fs";
const payload = JSON.parse(readFileSync(0, "utf8"));
appendFileSync("events.jsonl", JSON.stringify(payload) + "\\n");
if (process.env.FAIL_ON === payload.event) { console.error("refused"); process.exit(1); }`,
  );
  const events_ = () =>
    readFileSync(path.join(plugin, "events.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map(
        (line) =>
          JSON.parse(line) as { event: string; data: Record<string, unknown>; build_id: string },
      );
  return { dir, config: path.join(dir, "wfctl.yaml"), events: events_ };
}

const TARGETS = `    - name: web
      command: node -e "require('fs').mkdirSync('dist',{recursive:true});require('fs').writeFileSync('dist/web.js','web')"
      outputs: [dist/web.js]
    - name: api
      command: node -e "require('fs').writeFileSync('api.bin',process.env.FLAVOUR)"
      outputs: [api.bin]
      env: { FLAVOUR: spicy }`;

describe("wfctl build", () => {
  it("builds the targets in order, collects their outputs, and fires every hook event in order", async () => {
    const p = project(TARGETS);
    const run = await runCli(["build", "-c", p.config]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^Built 2 target\(s\) in \d+ ms; 2 artifact\(s\) in .*artifacts\.\n$/,
    );
    const sums = readFileSync(path.join(p.dir, "artifacts", "SHA256SUMS"), "utf8");
    const sha = (text: string) => createHash("sha256").update(text).digest("hex");
    expect(sums).toBe(`${sha("web")}  web/dist/web.js\n${sha("spicy")}  api/api.bin\n`);
    const events = p.events();
    expect(events.map((e) => [e.event, e.data.target ?? ""])).toEqual([
      ["pre_build", ""],
      ["pre_target_build", "web"],
      ["post_target_build", "web"],
      ["pre_target_build", "api"],
      ["post_target_build", "api"],
      ["pre_artifacts_publish", ""],
      ["post_artifacts_publish", ""],
      ["post_build", ""],
    ]);
    expect(new Set(events.map((e) => e.build_id)).size).toBe(1);
    expect(events[0]?.data).toEqual({ config_path: p.config, targets: ["web", "api"] });
    expect(events[2]?.data).toMatchObject({
      target: "web",
      type: "command",
      success: true,
      outputs: [path.join(p.dir, "dist/web.js")],
    });
    expect(events[6]?.data).toMatchObject({
      assets: [{ path: "web/dist/web.js", sha256: sha("web") }, { path: "api/api.bin" }],
    });
    expect(events[7]?.data).toMatchObject({ targets: ["web", "api"], success: true });
  });

  it("fails on a target that fails or misses an output: pre_build_fail, then post_build with success false", async () => {
    const p = project(`    - name: web
      command: node -e "process.exit(0)"
      outputs: [dist/web.js]
    - name: never
      command: node -e "process.exit(0)"`);
    const run = await runCli(["build", "-c", p.config]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("Error: build failed: target web: did not produce dist/web.js");
    const events = p.events();
    expect(events.map((e) => e.event)).toEqual([
      "pre_build",
      "pre_target_build",
      "post_target_build",
      "pre_build_fail",
      "post_build",
    ]);
    expect(events[3]?.data).toMatchObject({
      target: "web",
      error: expect.stringContaining("did not produce dist/web.js"),
    });
    expect(events[4]?.data).toMatchObject({ targets: ["web", "never"], success: false });
    expect(existsSync(path.join(p.dir, "artifacts"))).toBe(false);
  });

  it("stops at a failing `fail` hook; a `warn` one only warns", async () => {
    const failing = project(TARGETS);
    // Hook handlers inherit wfctl's environment.
    process.env.FAIL_ON = "pre_build";
    try {
      const run = await runCli(["build", "-c", failing.config]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(
        'pre_build hook of plugin "recorder" failed: exited with code 1: refused',
      );
      expect(failing.events().map((e) => e.event)).toEqual([
        "pre_build",
        "pre_build_fail",
        "post_build",
      ]);
      const warning = project(TARGETS, { on_hook_failure: "warn" });
      const warned = await runCli(["build", "-c", warning.config]);
      expect(warned.code).toBe(0);
      expect(warned.stderr).toContain(
        "warning: pre_build hook of plugin recorder: exited with code 1: refused",
      );
    } finally {
      delete process.env.FAIL_ON;
    }
  });

  it("builds only --target, and names the targets for an unknown one", async () => {
    const p = project(TARGETS);
    expect((await runCli(["build", "--target", "api", "-c", p.config])).code).toBe(0);
    expect(
      p
        .events()
        .filter((e) => e.event === "pre_target_build")
        .map((e) => e.data.target),
    ).toEqual(["api"]);
    const unknown = await runCli(["build", "--target", "nope", "-c", p.config]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no build target "nope"; the config has web, api');
  });
});
