// One POST /api/orders route doing the same work four ways, each server in its own
// child process on a free port, loaded in turn by autocannon (50 connections, a
// warm-up, then the measured run): the wfctl engine (`wfctl run`, a 4-step pipeline:
// request_parse → validate → set → json_response), the same hand-written in fastify 5,
// as a Node-RED 4 flow, and the engine again with an execution store on a SQLite file
// recording every execution. The engine, fastify and the engine with its store take
// turns for BENCH_ROUNDS rounds (default 3) and the ratios compare their median runs.
// Then the engine's startup: spawn to /readyz answering 200.
// Fixtures: bench/fixtures/engine/. The engine runs from bin/wfctl.js (dist/wfctl.mjs
// when built: `npm run build` after changing src/).
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";
import Database from "better-sqlite3";

const CONNECTIONS = 50;
const WARMUP_S = 2;
const DURATION_S = 10;
const STARTUP_RUNS = 5;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const root = fileURLToPath(new URL("../", import.meta.url));
const fixtures = path.join(root, "bench/fixtures/engine");
const ROUTE = "/api/orders";
const BODY = { name: "widget", qty: 3 };
const EXPECTED = { item: "widget", quantity: 3, label: "widget x3", status: "accepted" };
/** Bodies the schema refuses: each must answer 400. */
const INVALID = [
  { name: "widget", qty: 0 },
  { qty: 2 },
  { name: "", qty: 2 },
  { name: "w", qty: 1.5 },
];

/** What is read of autocannon's result (it ships no types). */
interface LoadResult {
  readonly requests: { readonly average: number; readonly total: number };
  readonly latency: { readonly p50: number; readonly p99: number };
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
  readonly "2xx": number;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  method: "POST";
  headers: Record<string, string>;
  body: string;
}) => PromiseLike<LoadResult>;
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

const work = mkdtempSync(path.join(tmpdir(), "wfctl-bench-engine-http-"));
const children = new Set<ChildProcess>();

/** A port free on loopback right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface Server {
  readonly child: ChildProcess;
  readonly port: number;
  /** The child's recent stdout + stderr, for failures. */
  output(): string;
}

function startServer(args: string[], env: Record<string, string>, port: number): Server {
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
async function stopServer(child: ChildProcess): Promise<void> {
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
function cpuMs(pid: number | undefined): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function post(port: number, body: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`http://127.0.0.1:${port}${ROUTE}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(2000),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {}
  return { status: response.status, body: parsed };
}

/** Polls until `ready()` holds; the time it took (ms) from `since`. */
async function until(
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

const readyz = (port: number) => async () =>
  (await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(1000) })).status ===
  200;
const answers = (port: number) => async () => (await post(port, BODY)).status === 200;

/** The valid body answers 200 with the expected object; every invalid one 400. */
async function precheck(port: number): Promise<string | undefined> {
  const ok = await post(port, BODY);
  if (ok.status !== 200 || !isDeepStrictEqual(ok.body, EXPECTED)) {
    return `valid body answered ${ok.status} ${JSON.stringify(ok.body)}`;
  }
  for (const body of INVALID) {
    const refused = await post(port, body);
    if (refused.status !== 400) {
      return `${JSON.stringify(body)} answered ${refused.status} ${JSON.stringify(refused.body)}, not 400`;
    }
  }
  return undefined;
}

const load = (port: number, duration: number) =>
  autocannon({
    url: `http://127.0.0.1:${port}${ROUTE}`,
    connections: CONNECTIONS,
    duration,
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(BODY),
  });

interface Target {
  readonly label: string;
  readonly args: string[];
  readonly env: Record<string, string>;
  readonly ready: (port: number) => () => Promise<boolean>;
  /** After the server stopped: a line about what it recorded. */
  readonly after?: (answered: number) => string;
}

interface Measured {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
  readonly non2xx: number;
  /** Server CPU time per answered request (µs), all its threads. */
  readonly cpuUs: number | undefined;
}

async function measure(target: Target): Promise<Measured | undefined> {
  const server = startServer(target.args, target.env, await freePort());
  let answered = 0;
  let result: LoadResult;
  let cpuBefore: number | undefined;
  let cpuAfter: number | undefined;
  try {
    try {
      await until(server, target.ready(server.port), performance.now());
    } catch (err) {
      console.log(`${target.label.padEnd(34)} FAILED to start: ${(err as Error).message}`);
      return undefined;
    }
    const problem = await precheck(server.port);
    if (problem) {
      console.log(`${target.label.padEnd(34)} FAILED pre-check: ${problem}`);
      return undefined;
    }
    const warm = await load(server.port, WARMUP_S);
    cpuBefore = cpuMs(server.child.pid);
    result = await load(server.port, DURATION_S);
    cpuAfter = cpuMs(server.child.pid);
    answered = 1 + INVALID.length + warm["2xx"] + warm.non2xx + result["2xx"] + result.non2xx;
  } finally {
    await stopServer(server.child);
  }
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
  console.log(
    `${target.label.padEnd(34)} ${measured.rps.toFixed(0).padStart(7)}  ${ms(measured.p50)}  ${ms(measured.p99)}  ${String(measured.errors).padStart(6)}  ${String(measured.non2xx).padStart(7)}  ${(measured.cpuUs?.toFixed(0) ?? "n/a").padStart(11)}  ${loadavg()[0]!.toFixed(1).padStart(8)}`,
  );
  if (target.after) console.log(`  ${target.after(answered)}`);
  return measured;
}

const ms = (value: number) => value.toFixed(1).padStart(6);

/** The run with the median throughput (the lower middle one of an even count). */
function medianRun(runs: readonly Measured[]): Measured | undefined {
  const sorted = [...runs].sort((a, b) => a.rps - b.rps);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** Executions the store wrote, by status, against the requests answered. */
function recorded(dbPath: string) {
  return (answered: number) => {
    const db = new Database(dbPath, { readonly: true });
    try {
      const rows = db
        .prepare("SELECT status, count(*) AS n FROM wfctl_executions GROUP BY status")
        .all() as { status: string; n: number }[];
      const total = rows.reduce((sum, r) => sum + r.n, 0);
      const byStatus = rows.map((r) => `${r.n} ${r.status}`).join(", ");
      return `execution store: ${total} executions recorded (${byStatus}) for ${answered} answered requests (+ up to ${2 * CONNECTIONS} cut off when the load runs stopped)`;
    } finally {
      db.close();
    }
  };
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

function check(label: string, value: string, ok: boolean, target: string): void {
  console.log(
    `${label.padEnd(34)} ${value.padStart(8)}  ${ok ? "ok    " : "MISSED"}  (target ${target})`,
  );
}

const interrupted = () => {
  for (const child of children) child.kill("SIGKILL");
  rmSync(work, { recursive: true, force: true });
  process.exit(130);
};
process.once("SIGINT", interrupted);
process.once("SIGTERM", interrupted);

try {
  const bundle = path.join(root, "dist/wfctl.mjs");
  let built: number | undefined;
  try {
    built = statSync(bundle).mtimeMs;
  } catch {}
  if (built === undefined) {
    console.log(
      "note: no dist/wfctl.mjs — the engine runs from source through tsx (npm run build)",
    );
  } else if (newest(path.join(root, "src")) > built) {
    console.log(
      "note: src/ is newer than dist/wfctl.mjs — measuring the old build (npm run build)",
    );
  }
  console.log(
    `POST ${ROUTE} ${JSON.stringify(BODY)}; autocannon ${CONNECTIONS} connections, ${WARMUP_S} s warm-up + ${DURATION_S} s per server`,
  );
  console.log(
    "CPU µs/req: the server's CPU time (all threads) per answered request in the measured run",
  );
  console.log(
    `(per CPU-second below compares those); load avg: the machine's 1-minute load after the run (${cpus().length} CPUs; the bench itself accounts for up to 2)`,
  );
  console.log(
    `${"server".padEnd(34)}   req/s  p50 ms  p99 ms  errors  non-2xx  CPU µs/req  load avg`,
  );
  const wfctl = ["bin/wfctl.js", "run", "-c"];
  const userDir = path.join(work, "node-red");
  mkdirSync(userDir);
  const engineTarget: Target = {
    label: "wfctl engine",
    args: [...wfctl, path.join(fixtures, "engine.yaml")],
    env: {},
    ready: readyz,
  };
  const fastifyTarget: Target = {
    label: "fastify 5 (hand-written)",
    args: [path.join(fixtures, "fastify-server.mjs")],
    env: {},
    ready: answers,
  };
  const storedTarget = (round: number): Target => {
    const dbPath = path.join(work, `executions-${round}.db`);
    return {
      label: "wfctl engine + execution.store",
      args: [...wfctl, path.join(fixtures, "engine-store.yaml")],
      env: { BENCH_DB_PATH: dbPath },
      ready: readyz,
      after: recorded(dbPath),
    };
  };
  // The compared servers take turns, ROUNDS times, and the median run of each counts:
  // this shared 2-core machine moves single runs by ±15%.
  const runs = { engine: [] as Measured[], fastify: [] as Measured[], stored: [] as Measured[] };
  let nodeRed: Measured | undefined;
  for (let round = 1; round <= ROUNDS; round++) {
    console.log(`round ${round} of ${ROUNDS}`);
    const add = (list: Measured[], m: Measured | undefined) => m && list.push(m);
    add(runs.engine, await measure(engineTarget));
    add(runs.fastify, await measure(fastifyTarget));
    add(runs.stored, await measure(storedTarget(round)));
    // Far behind the others: once is enough.
    if (round === 1) {
      nodeRed = await measure({
        label: "Node-RED 4.1.8 (embedded)",
        args: [path.join(fixtures, "node-red-server.mjs")],
        env: { BENCH_USER_DIR: userDir },
        ready: answers,
      });
    }
  }
  const engine = medianRun(runs.engine);
  const fastify = medianRun(runs.fastify);
  const stored = medianRun(runs.stored);
  console.log("");
  console.log(`median of ${ROUNDS} runs (by req/s)`);
  for (const [label, m] of [
    [engineTarget.label, engine],
    [fastifyTarget.label, fastify],
    ["wfctl engine + execution.store", stored],
  ] as const) {
    if (m) {
      console.log(
        `${label.padEnd(34)} ${m.rps.toFixed(0).padStart(7)}  ${ms(m.p50)}  ${ms(m.p99)}  ${(m.cpuUs?.toFixed(0) ?? "n/a").padStart(11)} µs/req`,
      );
    }
  }

  const startups: number[] = [];
  for (let i = 0; i < STARTUP_RUNS; i++) {
    const port = await freePort();
    const since = performance.now();
    const server = startServer([...wfctl, path.join(fixtures, "engine.yaml")], {}, port);
    try {
      startups.push(await until(server, readyz(port), since));
    } finally {
      await stopServer(server.child);
    }
  }
  startups.sort((a, b) => a - b);

  console.log("");
  const ratio = (a: Measured | undefined, b: Measured | undefined, target: number) => {
    const rps = a && b ? a.rps / b.rps : Number.NaN;
    const perCpu = a?.cpuUs && b?.cpuUs ? b.cpuUs / a.cpuUs : undefined;
    const note = perCpu === undefined ? "" : `; per CPU-second ${perCpu.toFixed(2)}`;
    return { value: rps.toFixed(2), ok: rps >= target, target: `≥ ${target}${note}` };
  };
  const engineFastify = ratio(engine, fastify, 0.8);
  check("engine / fastify req/s", engineFastify.value, engineFastify.ok, engineFastify.target);
  const engineNodeRed = ratio(engine, nodeRed, 2);
  check("engine / Node-RED req/s", engineNodeRed.value, engineNodeRed.ok, engineNodeRed.target);
  const storeFastify = ratio(stored, fastify, 0.6);
  check("engine+store / fastify req/s", storeFastify.value, storeFastify.ok, storeFastify.target);
  const p99 = engine?.p99 ?? Number.NaN;
  check("engine p99", `${p99.toFixed(1)} ms`, p99 < 25, "< 25 ms");
  const median = startups[Math.floor(startups.length / 2)]!;
  check(
    `engine startup to /readyz 200`,
    `${median.toFixed(0)} ms`,
    median < 1000,
    `< 1000 ms; median of ${STARTUP_RUNS}, min ${startups[0]!.toFixed(0)} max ${startups.at(-1)!.toFixed(0)}`,
  );
} finally {
  for (const child of [...children]) await stopServer(child);
  process.off("SIGINT", interrupted);
  process.off("SIGTERM", interrupted);
  rmSync(work, { recursive: true, force: true });
}
