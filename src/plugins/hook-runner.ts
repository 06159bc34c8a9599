/**
 * Runs the plugins' handlers of one hook event (PLUGINS.md "Build hooks"): each
 * handler is the plugin's command + `--wfctl-hook EVENT`, with the seed's HookPayload
 * as JSON on stdin, in ascending priority then plugin name. Exit 0 is success; a
 * non-zero exit or a timeout (the handler is killed) is a failure handled per the
 * plugin's `on_hook_failure`: `fail` stops the event's handlers and reports the
 * failure, `warn` reports it and goes on, `skip` goes on silently.
 */
import { spawn } from "node:child_process";
import type { HookEvent, HookPayload } from "../contracts/index.js";
import type { InstalledPlugin } from "./plugin-directory.js";

export interface HookFailure {
  readonly plugin: string;
  readonly event: HookEvent;
  readonly message: string;
}

export interface HookRun {
  /** Handlers that ran, in order. */
  readonly ran: readonly string[];
  /** The failure of a handler whose policy is `fail`; the event's later handlers did not run. */
  readonly failure?: HookFailure;
}

export interface HookRunOptions {
  readonly buildId: string;
  /** A failure of a `warn` handler, for the user. */
  readonly onWarning?: (failure: HookFailure) => void;
}

/** stderr kept for a failure's message. */
const STDERR_TAIL = 2_000;

/** The plugins handling `event`, in the order they run. */
function hookHandlers(plugins: readonly InstalledPlugin[], event: HookEvent) {
  return plugins
    .flatMap((plugin) =>
      plugin.manifest.hooks.filter((h) => h.event === event).map((hook) => ({ plugin, hook })),
    )
    .sort(
      (a, b) =>
        a.hook.priority - b.hook.priority ||
        a.plugin.manifest.name.localeCompare(b.plugin.manifest.name),
    );
}

export async function runHooks(
  plugins: readonly InstalledPlugin[],
  event: HookEvent,
  data: object,
  options: HookRunOptions,
): Promise<HookRun> {
  const ran: string[] = [];
  for (const { plugin, hook } of hookHandlers(plugins, event)) {
    const name = plugin.manifest.name;
    ran.push(name);
    const payload: HookPayload<object> = {
      event,
      plugin: name,
      build_id: options.buildId,
      timestamp: Math.floor(Date.now() / 1000),
      data,
    };
    const error = await runHandler(plugin, event, payload, hook.timeout_seconds * 1000);
    if (error === undefined) continue;
    const failure: HookFailure = { plugin: name, event, message: error };
    if (plugin.manifest.on_hook_failure === "fail") return { ran, failure };
    if (plugin.manifest.on_hook_failure === "warn") options.onWarning?.(failure);
  }
  return { ran };
}

/** Runs one handler; resolves with why it failed, or undefined when it succeeded. */
function runHandler(
  plugin: InstalledPlugin,
  event: HookEvent,
  payload: HookPayload<object>,
  timeoutMs: number,
): Promise<string | undefined> {
  const [program, ...args] = plugin.manifest.command as [string, ...string[]];
  return new Promise((resolve) => {
    const child = spawn(program, [...args, "--wfctl-hook", event], {
      cwd: plugin.dir,
      stdio: ["pipe", "ignore", "pipe"],
    });
    let stderr = "";
    let timedOut = false;
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_TAIL);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.once("error", (err) => {
      clearTimeout(timer);
      resolve(`cannot start ${program}: ${err.message}`);
    });
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      const tail = stderr.trim() === "" ? "" : `: ${stderr.trim()}`;
      if (timedOut) resolve(`timed out after ${timeoutMs / 1000} s and was stopped${tail}`);
      else if (code !== 0)
        resolve(`exited with ${signal ? `signal ${signal}` : `code ${code}`}${tail}`);
      else resolve(undefined);
    });
    // A handler that does not read its payload must not fail the run.
    child.stdin?.on("error", () => {});
    child.stdin?.end(JSON.stringify(payload));
  });
}
