// `wfctl plugin install`: checksums before anything is written, install_verify
// handlers, safe unpacking and an atomic move into the plugin directory; and the hook
// runner behind install_verify (order, payload, timeouts, failure policies).
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { create } from "tar";
import { describe, expect, it } from "vitest";
import { runHooks } from "../../src/plugins/hook-runner.js";
import { listPlugins } from "../../src/plugins/plugin-directory.js";
import { installPlugin } from "../../src/plugins/plugin-install.js";
import { runCli } from "../helpers/run-cli.js";
import { tempDir } from "../helpers/temp-dir.js";

/** A plugin folder `name` in `parent` with a manifest (plus `extra`) and `files`. */
function pluginFolder(
  parent: string,
  name: string,
  extra: object = {},
  files: Record<string, string> = {},
) {
  const dir = path.join(parent, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, "plugin.json"),
    JSON.stringify({ name, version: "1.0.0", command: ["node", "hook.mjs"], ...extra }),
  );
  for (const [file, text] of Object.entries(files)) writeFileSync(path.join(dir, file), text);
  return dir;
}

async function tarball(cwd: string, entries: string[], file = path.join(cwd, "..", "plugin.tgz")) {
  await create({ gzip: true, file, cwd, preservePaths: true }, entries);
  return file;
}

async function sha256(file: string) {
  const { createHash } = await import("node:crypto");
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

describe("wfctl plugin install", () => {
  it("installs a tarball whose sha256 matches, and replaces it on a second install", async () => {
    const work = tempDir("wfctl-install");
    pluginFolder(path.join(work, "src"), "fakecloud", {}, { "hook.mjs": "" });
    const file = await tarball(path.join(work, "src"), ["fakecloud"]);
    const dir = path.join(work, "plugins");
    const args = ["plugin", "install", file, "--sha256", await sha256(file), "--plugin-dir", dir];
    expect(await runCli(args)).toMatchObject({
      code: 0,
      stdout: `Installed plugin fakecloud 1.0.0 in ${path.join(dir, "fakecloud")}.\n`,
    });
    expect(listPlugins(dir).plugins.map((p) => p.manifest.name)).toEqual(["fakecloud"]);
    expect(await runCli(args)).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^Replaced plugin fakecloud/),
    });
    // Nothing left behind but the plugin.
    expect(readdirSync(dir)).toEqual(["fakecloud"]);
  });

  it("checks the sha256 before anything is written", async () => {
    const work = tempDir("wfctl-install");
    pluginFolder(path.join(work, "src"), "fakecloud");
    const file = await tarball(path.join(work, "src"), ["fakecloud"]);
    const dir = path.join(work, "plugins");
    const run = await runCli([
      "plugin",
      "install",
      file,
      "--sha256",
      "0".repeat(64),
      "--plugin-dir",
      dir,
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `sha256 is ${await sha256(file)}, not the expected ${"0".repeat(64)}; nothing was installed`,
    );
    expect(existsSync(dir)).toBe(false);
  });

  it("refuses paths and links leading outside the plugin, and oversized tarballs", async () => {
    const work = tempDir("wfctl-install");
    const src = path.join(work, "src");
    pluginFolder(src, "evil");
    writeFileSync(path.join(work, "outside.txt"), "x");
    const traversal = await tarball(
      src,
      ["evil", "../outside.txt"],
      path.join(work, "traversal.tgz"),
    );
    const clean = await tarball(src, ["evil"], path.join(work, "clean.tgz"));
    symlinkSync("/etc/passwd", path.join(src, "evil", "passwd"));
    const link = await tarball(src, ["evil"], path.join(work, "link.tgz"));
    const dir = path.join(work, "plugins");
    const refused = await runCli(["plugin", "install", traversal, "--plugin-dir", dir]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("../outside.txt: a path outside the plugin");
    const linked = await runCli(["plugin", "install", link, "--plugin-dir", dir]);
    expect(linked.stderr).toContain("evil/passwd: a link to /etc/passwd, outside the plugin");
    await expect(installPlugin(clean, { dir, maxBytes: 10 })).rejects.toThrow(
      /unpacks to \d+ bytes, more than the 10 allowed; nothing was installed/,
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it("lets installed install_verify handlers refuse a tarball, or warn about it", async () => {
    const work = tempDir("wfctl-install");
    const dir = path.join(work, "plugins");
    // Refuses tarballs whose name says "bad"; records every payload it got.
    const verifier = `import { appendFileSync, readFileSync } from "node:fs";
const payload = JSON.parse(readFileSync(0, "utf8"));
appendFileSync("payloads.jsonl", JSON.stringify({ argv: process.argv.slice(2), payload }) + "\\n");
if (payload.data.tarball_path.includes("bad")) { console.error("signature missing"); process.exit(2); }`;
    pluginFolder(
      dir,
      "sigcheck",
      { hooks: [{ event: "install_verify" }] },
      { "hook.mjs": verifier },
    );
    pluginFolder(path.join(work, "src"), "fakecloud");
    const bad = await tarball(path.join(work, "src"), ["fakecloud"], path.join(work, "bad.tgz"));
    const run = await runCli(["plugin", "install", bad, "--plugin-dir", dir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `install_verify: plugin "sigcheck" refused ${bad}: exited with code 2: signature missing`,
    );
    const [seen] = readFileSync(path.join(dir, "sigcheck", "payloads.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(seen).toMatchObject({
      argv: ["--wfctl-hook", "install_verify"],
      payload: { event: "install_verify", plugin: "sigcheck", data: { tarball_path: bad } },
    });
    expect(existsSync(path.join(dir, "fakecloud"))).toBe(false);

    pluginFolder(
      dir,
      "sigcheck",
      { hooks: [{ event: "install_verify" }], on_hook_failure: "warn" },
      { "hook.mjs": verifier },
    );
    const warned = await runCli(["plugin", "install", bad, "--plugin-dir", dir]);
    expect(warned.code).toBe(0);
    expect(warned.stderr).toContain(
      "warning: install_verify: plugin sigcheck: exited with code 2: signature missing",
    );
  });

  it("installs a folder, and refuses --sha256 for one", async () => {
    const work = tempDir("wfctl-install");
    const src = pluginFolder(work, "notify");
    const dir = path.join(work, "plugins");
    expect((await runCli(["plugin", "install", src, "--plugin-dir", dir])).code).toBe(0);
    expect(existsSync(path.join(dir, "notify", "plugin.json"))).toBe(true);
    const run = await runCli(["plugin", "install", src, "--sha256", "ab", "--plugin-dir", dir]);
    expect(run.stderr).toContain("--sha256 verifies a tarball; the source is a folder");
  });
});

describe("hook handlers", () => {
  it("run by priority then name, each with the payload; a hung one is stopped and fails", async () => {
    const dir = tempDir("wfctl-hooks");
    const record = `import { appendFileSync, readFileSync } from "node:fs";
const payload = JSON.parse(readFileSync(0, "utf8"));
appendFileSync("../order.txt", payload.plugin + "\\n");`;
    const hook = (priority: number, extra: object = {}) => ({
      hooks: [{ event: "pre_build", priority, ...extra }],
    });
    pluginFolder(dir, "b-second", hook(5), { "hook.mjs": record });
    pluginFolder(dir, "a-second", hook(5), { "hook.mjs": record });
    pluginFolder(dir, "z-first", hook(-1), { "hook.mjs": record });
    pluginFolder(
      dir,
      "slow",
      { ...hook(10, { timeout_seconds: 0.3 }), on_hook_failure: "fail" },
      { "hook.mjs": "setTimeout(() => {}, 60_000);" },
    );
    pluginFolder(
      dir,
      "quiet-fail",
      { ...hook(7), on_hook_failure: "skip" },
      { "hook.mjs": "process.exit(3);" },
    );
    pluginFolder(dir, "never", hook(20), { "hook.mjs": record });
    const started = performance.now();
    const run = await runHooks(
      listPlugins(dir).plugins,
      "pre_build",
      { config_path: "x", targets: [] },
      { buildId: "b1" },
    );
    // quiet-fail failed, but `skip` goes on; slow's `fail` stops the rest.
    expect(run.ran).toEqual(["z-first", "a-second", "b-second", "quiet-fail", "slow"]);
    expect(run.failure).toEqual({
      plugin: "slow",
      event: "pre_build",
      message: "timed out after 0.3 s and was stopped",
    });
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(readFileSync(path.join(dir, "order.txt"), "utf8")).toBe("z-first\na-second\nb-second\n");
  });
});
