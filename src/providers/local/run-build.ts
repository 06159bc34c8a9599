import { spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";

const TAIL_LINES = 20;

/**
 * Runs a resource's `build_command` with `/bin/sh -c` in `cwd`, output appended to
 * `logFile`. A failure rejects with the log's last lines, naming the resource.
 */
export async function runBuild(
  resource: string,
  command: string,
  cwd: string,
  env: Readonly<Record<string, string>>,
  logFile: string,
  signal?: AbortSignal,
): Promise<void> {
  await mkdir(path.dirname(logFile), { recursive: true, mode: 0o700 });
  const out = openSync(logFile, "a", 0o600);
  let result: { code: number | null; signal: NodeJS.Signals | null };
  try {
    const child = spawn("/bin/sh", ["-c", command], {
      cwd,
      env: { ...process.env, ...env },
      stdio: ["ignore", out, out],
      ...(signal ? { signal } : {}),
    });
    result = await new Promise((resolve, reject) => {
      child.once("error", reject);
      child.once("close", (code, sig) => resolve({ code, signal: sig }));
    });
  } catch (err) {
    throw new Error(
      `${resource}: build_command could not start in ${cwd}: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  } finally {
    closeSync(out);
  }
  if (result.code === 0) return;
  const tail = (await readFile(logFile, "utf8").catch(() => ""))
    .split("\n")
    .filter((l) => l !== "")
    .slice(-TAIL_LINES);
  const how = result.signal ? `was killed by ${result.signal}` : `exited with code ${result.code}`;
  throw new Error(
    `${resource}: build_command "${command}" ${how} (log: ${logFile})${tail.length > 0 ? `\n${tail.map((l) => `  | ${l}`).join("\n")}` : ""}`,
  );
}
