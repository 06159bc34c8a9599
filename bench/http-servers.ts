// HTTP servers for the load benchmarks (engine-http, tenant-resolution): each in its own
// child process on a free loopback port, polled until ready, loaded by autocannon (a
// warm-up, then the measured run with the server's CPU time from /proc around it) and
// stopped; the rows they print; the note on a stale dist/ build; and a scratch folder
// that goes, with every server still running, at the end or on SIGINT/SIGTERM.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** autocannon's connections, in every load run. */
export const CONNECTIONS = 50;
/** Seconds of the warm-up load run, then of the measured one (`loadRuns`). */
export const WARMUP_S = 2;
export const DURATION_S = 10;
/** How many times the servers compared take turns (BENCH_ROUNDS, default 3). */
export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

/** The repository root: the servers' working directory. */
export const root = fileURLToPath(new URL("../", import.meta.url));

/** What is read of autocannon's result (it ships no types). */
export interface LoadResult {
  readonly requests: { readonly average: number };
  readonly latency: { readonly p50: number; readonly p99: number };
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
  readonly "2xx": number;
}
/** The request autocannon repeats: `route` on the server's port. */
export interface LoadRequest {
  readonly method: "GET" | "POST";
  readonly route: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}
type Autocannon = (
  options: { url: string; connections: number; duration: number } & Omit<LoadRequest, "route">,
) => PromiseLike<LoadResult>;
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

/** Every server started and not yet exited. */
const children = new Set<ChildProcess>();

/** A port free on loopback right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface Server {
  readonly child: ChildProcess;
  readonly port: number;
  /** The child's recent stdout + stderr, for failures. */
  output(): string;
}

/** `node ARGS` in the repository root, with `env` and BENCH_PORT=`port` added to this environment. */
export function startServer(args: string[], env: Record<string, string>, port: number): Server {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...env, BENCH_PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  child.once("exit", () => children.delete(child));
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-1500);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  return { child, port, output: () => output };
}

/** SIGTERM, then SIGKILL if it has not exited within 5 s. */
export async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}

/**
 * CPU time (ms, user + system, every thread) a process has used so far, from
 * /proc/PID/stat (USER_HZ ticks, 100 a second on Linux); undefined without /proc.
 */
export function cpuMs(pid: number | undefined): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `ready()` holds; the time it took (ms) from `since`. */
export async function until(
  server: Server,
  ready: () => Promise<boolean>,
  since: number,
  limitMs = 30_000,
): Promise<number> {
  for (;;) {
    if (await ready().catch(() => false)) return performance.now() - since;
    if (server.child.exitCode !== null) {
      throw new Error(`server exited (${server.child.exitCode}):\n${server.output()}`);
    }
    if (performance.now() - since > limitMs) {
      throw new Error(`server not ready after ${limitMs} ms:\n${server.output()}`);
    }
    await sleep(5);
  }
}

/** A readiness check for `until`: GET /readyz answers 200. */
export const readyz = (port: number) => async () =>
  (await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(1000) })).status ===
  200;

export interface Measured {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
  readonly non2xx: number;
  /** Server CPU time per answered request (µs), all its threads. */
  readonly cpuUs: number | undefined;
}

/**
 * `request` under load for WARMUP_S seconds, then for DURATION_S seconds measured: the
 * autocannon results of both runs and what the measured one comes to.
 */
export async function loadRuns(
  server: Server,
  request: LoadRequest,
): Promise<{ warm: LoadResult; result: LoadResult; measured: Measured }> {
  const { route, ...rest } = request;
  const load = (duration: number) =>
    autocannon({
      url: `http://127.0.0.1:${server.port}${route}`,
      connections: CONNECTIONS,
      duration,
      ...rest,
    });
  const warm = await load(WARMUP_S);
  const cpuBefore = cpuMs(server.child.pid);
  const result = await load(DURATION_S);
  const cpuAfter = cpuMs(server.child.pid);
  const measured: Measured = {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    cpuUs:
      cpuBefore === undefined || cpuAfter === undefined
        ? undefined
        : ((cpuAfter - cpuBefore) * 1000) / (result["2xx"] + result.non2xx),
  };
  return { warm, result, measured };
}

/** A latency (ms) in its 6-wide column. */
export const ms = (value: number) => value.toFixed(1).padStart(6);

/** The run with the median throughput (the lower middle one of an even count). */
export function medianRun(runs: readonly Measured[]): Measured | undefined {
  const sorted = [...runs].sort((a, b) => a.rps - b.rps);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/**
 * What the CPU and load avg columns mean, then the header of `printRun`'s rows;
 * `loadPrefix` goes before the load avg line.
 */
export function printHeader(loadPrefix: string): void {
  console.log(
    "CPU µs/req: the server's CPU time (all threads) per answered request in the measured run",
  );
  console.log(
    `${loadPrefix}load avg: the machine's 1-minute load after the run (${cpus().length} CPUs; the bench itself accounts for up to 2)`,
  );
  console.log(
    `${"server".padEnd(34)}   req/s  p50 ms  p99 ms  errors  non-2xx  CPU µs/req  load avg`,
  );
}

/** One measured run's row, CPU µs/req with `cpuDigits` decimals, and the load now. */
export function printRun(label: string, m: Measured, cpuDigits: number): void {
  console.log(
    `${label.padEnd(34)} ${m.rps.toFixed(0).padStart(7)}  ${ms(m.p50)}  ${ms(m.p99)}  ${String(m.errors).padStart(6)}  ${String(m.non2xx).padStart(7)}  ${(m.cpuUs?.toFixed(cpuDigits) ?? "n/a").padStart(11)}  ${loadavg()[0]!.toFixed(1).padStart(8)}`,
  );
}

/** After a blank line, the median run of each server over `rounds` (those with none left out). */
export function printMedians(
  rounds: number,
  medians: readonly (readonly [string, Measured | undefined])[],
  cpuDigits: number,
): void {
  console.log("");
  console.log(`median of ${rounds} runs (by req/s)`);
  for (const [label, m] of medians) {
    if (m) {
      console.log(
        `${label.padEnd(34)} ${m.rps.toFixed(0).padStart(7)}  ${ms(m.p50)}  ${ms(m.p99)}  ${(m.cpuUs?.toFixed(cpuDigits) ?? "n/a").padStart(11)} µs/req`,
      );
    }
  }
}

/** Newest modification time under `dir` (ms). */
function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
  }
  return latest;
}

/**
 * A note when dist/wfctl.mjs is missing (`subject`, e.g. "the engine runs", then runs
 * from source) or older than src/.
 */
export function noteStaleBuild(subject: string): void {
  const bundle = path.join(root, "dist/wfctl.mjs");
  let built: number | undefined;
  try {
    built = statSync(bundle).mtimeMs;
  } catch {}
  if (built === undefined) {
    console.log(`note: no dist/wfctl.mjs — ${subject} from source through tsx (npm run build)`);
  } else if (newest(path.join(root, "src")) > built) {
    console.log(
      "note: src/ is newer than dist/wfctl.mjs — measuring the old build (npm run build)",
    );
  }
}

/**
 * A fresh scratch folder named from `prefix`. Until `close()`, SIGINT or SIGTERM kills
 * every server, removes the folder and exits 130; `close()` stops the servers still
 * running, removes the folder and those handlers.
 */
export function scratch(prefix: string): { readonly dir: string; close(): Promise<void> } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const interrupted = () => {
    for (const child of children) child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
    process.exit(130);
  };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);
  return {
    dir,
    async close() {
      for (const child of [...children]) await stopServer(child);
      process.off("SIGINT", interrupted);
      process.off("SIGTERM", interrupted);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
