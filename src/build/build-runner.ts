/**
 * `wfctl build` (CONFIG.md "Build"): the config's targets in order, each a shell
 * command whose declared outputs must exist afterwards; outputs are copied to the
 * artifacts folder with a SHA256SUMS manifest. Hook events fire for plugins as the
 * seed names them: pre_build → per target pre_target_build / post_target_build →
 * pre_artifacts_publish / post_artifacts_publish → post_build. A failing target or
 * `fail` hook fires pre_build_fail then post_build with success false.
 */
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseDuration, type WorkflowConfig } from "../config/index.js";
import type { ArtifactEntry, HookEvent } from "../contracts/index.js";
import { WfError } from "../diagnostics/index.js";
import { fileSha256 } from "../file-sha256.js";
import { type HookFailure, runHooks } from "../plugins/hook-runner.js";
import type { InstalledPlugin } from "../plugins/plugin-directory.js";

interface BuildTarget {
  readonly name: string;
  readonly command: string;
  readonly dir?: string;
  readonly outputs?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly timeout?: string;
}

interface BuildSection {
  readonly targets: readonly BuildTarget[];
  readonly artifacts?: { readonly dir: string };
}

export interface TargetResult {
  readonly target: string;
  readonly success: boolean;
  readonly outputs: string[];
  readonly duration_ms: number;
  readonly error?: string;
}

export interface BuildResult {
  readonly build_id: string;
  readonly success: boolean;
  readonly targets: TargetResult[];
  readonly artifacts: ArtifactEntry[];
  /** Where they were collected, with SHA256SUMS. */
  readonly artifacts_dir?: string;
  readonly duration_ms: number;
  readonly error?: string;
}

export interface BuildOptions {
  readonly config: WorkflowConfig;
  /** Only this target. */
  readonly target?: string;
  readonly plugins: readonly InstalledPlugin[];
  readonly buildId: string;
  /** Progress for a person, and target commands' output. */
  readonly log: (line: string) => void;
  readonly output: (chunk: string) => void;
  readonly onWarning: (failure: HookFailure) => void;
}

/** A step of the build that failed: what, and for which target. */
class BuildFailure extends Error {
  constructor(
    message: string,
    readonly target?: string,
  ) {
    super(message);
  }
}

export async function runBuild(options: BuildOptions): Promise<BuildResult> {
  const section = options.config.sections.build as BuildSection | undefined;
  if (!section) {
    throw new WfError(
      "WF_ERR_CONFIG_REFERENCE",
      `${options.config.file} has no build section; add build.targets`,
    );
  }
  const targets = selected(section, options.target);
  const names = targets.map((t) => t.name);
  const started = performance.now();
  const results: TargetResult[] = [];
  const artifacts: ArtifactEntry[] = [];
  const hooks = async (event: HookEvent, data: object) =>
    (
      await runHooks(options.plugins, event, data, {
        buildId: options.buildId,
        onWarning: options.onWarning,
      })
    ).failure;
  const fire = async (event: HookEvent, data: object) => {
    const failure = await hooks(event, data);
    if (failure) {
      throw new BuildFailure(
        `${event} hook of plugin "${failure.plugin}" failed: ${failure.message}`,
      );
    }
  };
  const elapsed = () => Math.round(performance.now() - started);
  try {
    await fire("pre_build", { config_path: options.config.file, targets: names });
    for (const target of targets) {
      await fire("pre_target_build", { target: target.name, type: "command" });
      const result = await buildTarget(target, options);
      results.push(result);
      await fire("post_target_build", {
        target: target.name,
        type: "command",
        outputs: result.outputs,
        duration_ms: result.duration_ms,
        success: result.success,
      });
      if (!result.success) throw new BuildFailure(result.error ?? "failed", target.name);
    }
    if (section.artifacts) {
      const assets = results.flatMap((r) => r.outputs);
      await fire("pre_artifacts_publish", { assets });
      const publishStarted = performance.now();
      artifacts.push(
        ...(await publish(options.config.dir, section.artifacts.dir, targets, options.log)),
      );
      await fire("post_artifacts_publish", {
        assets: artifacts,
        duration_ms: Math.round(performance.now() - publishStarted),
      });
    }
    await fire("post_build", { targets: names, success: true, duration_ms: elapsed() });
    return {
      build_id: options.buildId,
      success: true,
      targets: results,
      artifacts,
      ...(section.artifacts
        ? { artifacts_dir: path.resolve(options.config.dir, section.artifacts.dir) }
        : {}),
      duration_ms: elapsed(),
    };
  } catch (err) {
    if (!(err instanceof BuildFailure)) throw err;
    const error = err.target ? `target ${err.target}: ${err.message}` : err.message;
    options.log(`build failed: ${error}`);
    // The build has failed already: hooks of its failure can only warn.
    const ending: [HookEvent, object][] = [
      ["pre_build_fail", { error, ...(err.target ? { target: err.target } : {}) }],
      ["post_build", { targets: names, success: false, duration_ms: elapsed() }],
    ];
    for (const [event, data] of ending) {
      const failure = await hooks(event, data);
      if (failure) options.onWarning(failure);
    }
    return {
      build_id: options.buildId,
      success: false,
      targets: results,
      artifacts,
      duration_ms: elapsed(),
      error,
    };
  }
}

function selected(section: BuildSection, only: string | undefined): readonly BuildTarget[] {
  if (only === undefined) return section.targets;
  const target = section.targets.find((t) => t.name === only);
  if (!target) {
    throw new WfError(
      "WF_ERR_USAGE",
      `no build target "${only}"; the config has ${section.targets.map((t) => t.name).join(", ")}`,
    );
  }
  return [target];
}

/** Runs a target's command in its folder; its declared outputs must exist afterwards. */
async function buildTarget(target: BuildTarget, options: BuildOptions): Promise<TargetResult> {
  const dir = path.resolve(options.config.dir, target.dir ?? ".");
  const started = performance.now();
  options.log(
    `build ${target.name}: ${target.command} (in ${path.relative(options.config.dir, dir) || "."})`,
  );
  const error = await runCommand(target, dir, options.output);
  const outputs = (target.outputs ?? []).map((o) => path.join(dir, o));
  const missing = (target.outputs ?? []).filter((o) => !existsSync(path.join(dir, o)));
  const duration_ms = Math.round(performance.now() - started);
  const problem =
    error ?? (missing.length > 0 ? `did not produce ${missing.join(", ")} (in ${dir})` : undefined);
  if (problem === undefined) options.log(`build ${target.name}: done in ${duration_ms} ms`);
  return {
    target: target.name,
    success: problem === undefined,
    outputs: problem === undefined ? outputs : [],
    duration_ms,
    ...(problem !== undefined ? { error: problem } : {}),
  };
}

function runCommand(
  target: BuildTarget,
  dir: string,
  output: (chunk: string) => void,
): Promise<string | undefined> {
  const timeoutMs = target.timeout ? parseDuration(target.timeout) : undefined;
  return new Promise((resolve) => {
    if (!existsSync(dir)) return resolve(`its folder ${dir} does not exist`);
    const child = spawn(target.command, {
      cwd: dir,
      shell: true,
      env: { ...process.env, ...target.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let timedOut = false;
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill("SIGKILL");
          }, timeoutMs);
    child.stdout?.setEncoding("utf8").on("data", output);
    child.stderr?.setEncoding("utf8").on("data", output);
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      if (timedOut)
        resolve(`\`${target.command}\` ran longer than ${target.timeout} and was stopped`);
      else if (code !== 0)
        resolve(
          `\`${target.command}\` exited with ${signal ? `signal ${signal}` : `code ${code}`}`,
        );
      else resolve(undefined);
    });
  });
}

/** Copies every output to `artifacts/<target>/<output>` and writes SHA256SUMS (sha256sum -c format). */
async function publish(
  configDir: string,
  artifactsDir: string,
  targets: readonly BuildTarget[],
  log: (line: string) => void,
): Promise<ArtifactEntry[]> {
  const root = path.resolve(configDir, artifactsDir);
  const entries: ArtifactEntry[] = [];
  for (const target of targets) {
    const dir = path.resolve(configDir, target.dir ?? ".");
    for (const output of target.outputs ?? []) {
      const relative = path.join(target.name, output);
      const destination = path.join(root, relative);
      mkdirSync(path.dirname(destination), { recursive: true });
      copyFileSync(path.join(dir, output), destination);
      const sha256 = await fileSha256(destination);
      entries.push({ path: relative, url: pathToFileURL(destination).href, sha256 });
    }
  }
  mkdirSync(root, { recursive: true });
  writeFileSync(
    path.join(root, "SHA256SUMS"),
    entries.map((e) => `${e.sha256}  ${e.path}\n`).join(""),
  );
  log(`artifacts: ${entries.length} file(s) in ${root} (SHA256SUMS)`);
  return entries;
}
