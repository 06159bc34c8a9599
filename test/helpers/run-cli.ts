import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { onTestFinished } from "vitest";
import { main } from "../../src/cli/main.js";

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

/** Runs the CLI in-process with captured streams (fast; for most CLI tests). */
export async function runCli(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string | undefined> } = {},
): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    stdout: { write: (s: string) => (stdout += s), isTTY: false },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
    stdinIsTTY: false,
    env: options.env ?? {},
    cwd: options.cwd ?? repoRoot,
  });
  return { code, stdout, stderr };
}

export interface StartedCli {
  readonly child: ChildProcess;
  /** Resolves when the process exits; `code` is -1 and `signal` set when it was killed. */
  readonly done: Promise<CliRun & { signal: NodeJS.Signals | null }>;
  /** What it has printed on stdout so far. */
  readonly stdout: () => string;
}

/** Starts the real `wfctl` executable in a child process, as a user would. */
export function startCli(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string | undefined> } = {},
): StartedCli {
  const child = spawn(process.execPath, [`${repoRoot}bin/wfctl.js`, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: { PATH: process.env.PATH, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliRun & { signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code: code ?? -1, signal, stdout, stderr }));
  });
  try {
    // A test that fails before stopping it leaves no process behind.
    onTestFinished(() => {
      if (child.exitCode === null) child.kill("SIGKILL");
    });
  } catch {
    // Started outside a test (a beforeAll): its caller stops it.
  }
  return { child, done, stdout: () => stdout };
}

/** Runs the real `wfctl` executable to completion. */
export function spawnCli(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string | undefined> } = {},
): Promise<CliRun> {
  return startCli(args, options).done;
}
