// One POST /api/orders route doing the same work four ways, each server in its own
// child process on a free port, loaded in turn by autocannon (50 connections, a
// warm-up, then the measured run): the wfctl engine (`wfctl run`, a 4-step pipeline:
// request_parse → validate → set → json_response), the same hand-written in fastify 5,
// as a Node-RED 4 flow, and the engine again with an execution store on a SQLite file
// recording every execution (its default `record_data: failed`; once more with `all`,
// for comparison). The engine, fastify and the engine with its store take turns for
// BENCH_ROUNDS rounds (default 3) and the ratios compare their median runs.
// Then the engine's startup: spawn to /readyz answering 200.
// Fixtures: bench/fixtures/engine/. The engine runs from bin/wfctl.js (dist/wfctl.mjs
// when built: `npm run build` after changing src/).
import { mkdirSync } from "node:fs";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import Database from "better-sqlite3";
import * as servers from "./http-servers.js";

const STARTUP_RUNS = 5;

const fixtures = path.join(servers.root, "bench/fixtures/engine");
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

const workspace = servers.scratch("wfctl-bench-engine-http-");
const work = workspace.dir;

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

/** What the load POSTs: the valid body. */
const ORDER: servers.LoadRequest = {
  method: "POST",
  route: ROUTE,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(BODY),
};

interface Target {
  readonly label: string;
  readonly args: string[];
  readonly env: Record<string, string>;
  readonly ready: (port: number) => () => Promise<boolean>;
  /** After the server stopped: a line about what it recorded. */
  readonly after?: (answered: number) => string;
}

async function measure(target: Target): Promise<servers.Measured | undefined> {
  const server = servers.startServer(target.args, target.env, await servers.freePort());
  let answered = 0;
  let measured: servers.Measured;
  try {
    try {
      await servers.until(server, target.ready(server.port), performance.now());
    } catch (err) {
      console.log(`${target.label.padEnd(34)} FAILED to start: ${(err as Error).message}`);
      return undefined;
    }
    const problem = await precheck(server.port);
    if (problem) {
      console.log(`${target.label.padEnd(34)} FAILED pre-check: ${problem}`);
      return undefined;
    }
    const runs = await servers.loadRuns(server, ORDER);
    const { warm, result } = runs;
    measured = runs.measured;
    answered = 1 + INVALID.length + warm["2xx"] + warm.non2xx + result["2xx"] + result.non2xx;
  } finally {
    await servers.stopServer(server.child);
  }
  servers.printRun(target.label, measured, 0);
  if (target.after) console.log(`  ${target.after(answered)}`);
  return measured;
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
      return `execution store: ${total} executions recorded (${byStatus}) for ${answered} answered requests (+ up to ${2 * servers.CONNECTIONS} cut off when the load runs stopped)`;
    } finally {
      db.close();
    }
  };
}

function check(label: string, value: string, ok: boolean, target: string): void {
  console.log(
    `${label.padEnd(34)} ${value.padStart(8)}  ${ok ? "ok    " : "MISSED"}  (target ${target})`,
  );
}

try {
  servers.noteStaleBuild("the engine runs");
  console.log(
    `POST ${ROUTE} ${JSON.stringify(BODY)}; autocannon ${servers.CONNECTIONS} connections, ${servers.WARMUP_S} s warm-up + ${servers.DURATION_S} s per server`,
  );
  servers.printHeader("(per CPU-second below compares those); ");
  const wfctl = ["bin/wfctl.js", "run", "-c"];
  const userDir = path.join(work, "node-red");
  mkdirSync(userDir);
  const engineTarget: Target = {
    label: "wfctl engine",
    args: [...wfctl, path.join(fixtures, "engine.yaml")],
    env: {},
    ready: servers.readyz,
  };
  const fastifyTarget: Target = {
    label: "fastify 5 (hand-written)",
    args: [path.join(fixtures, "fastify-server.mjs")],
    env: {},
    ready: answers,
  };
  const storedTarget = (run: string, recordData = "failed"): Target => {
    const dbPath = path.join(work, `executions-${run}.db`);
    return {
      label: `wfctl engine + execution.store${recordData === "failed" ? "" : ` (${recordData})`}`,
      args: [...wfctl, path.join(fixtures, "engine-store.yaml")],
      env: { BENCH_DB_PATH: dbPath, BENCH_RECORD_DATA: recordData },
      ready: servers.readyz,
      after: recorded(dbPath),
    };
  };
  // The compared servers take turns, ROUNDS times, and the median run of each counts:
  // this shared 2-core machine moves single runs by ±15%.
  const runs = {
    engine: [] as servers.Measured[],
    fastify: [] as servers.Measured[],
    stored: [] as servers.Measured[],
  };
  let nodeRed: servers.Measured | undefined;
  let storedWithData: servers.Measured | undefined;
  for (let round = 1; round <= servers.ROUNDS; round++) {
    console.log(`round ${round} of ${servers.ROUNDS}`);
    const add = (list: servers.Measured[], m: servers.Measured | undefined) => m && list.push(m);
    add(runs.engine, await measure(engineTarget));
    add(runs.fastify, await measure(fastifyTarget));
    add(runs.stored, await measure(storedTarget(String(round))));
    // For comparison, not a target (once): the store keeping every execution's data.
    if (round === 1) storedWithData = await measure(storedTarget("all", "all"));
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
  const engine = servers.medianRun(runs.engine);
  const fastify = servers.medianRun(runs.fastify);
  const stored = servers.medianRun(runs.stored);
  servers.printMedians(
    servers.ROUNDS,
    [
      [engineTarget.label, engine],
      [fastifyTarget.label, fastify],
      ["wfctl engine + execution.store", stored],
    ],
    0,
  );

  const startups: number[] = [];
  for (let i = 0; i < STARTUP_RUNS; i++) {
    const port = await servers.freePort();
    const since = performance.now();
    const server = servers.startServer([...wfctl, path.join(fixtures, "engine.yaml")], {}, port);
    try {
      startups.push(await servers.until(server, servers.readyz(port), since));
    } finally {
      await servers.stopServer(server.child);
    }
  }
  startups.sort((a, b) => a - b);

  console.log("");
  const ratio = (
    a: servers.Measured | undefined,
    b: servers.Measured | undefined,
    target: number,
  ) => {
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
  const withData = ratio(storedWithData, fastify, 0);
  console.log(
    `${"  record_data: all (1 run) / fastify".padEnd(34)} ${withData.value.padStart(8)}          (for comparison; the default keeps only failed and traced executions' data)`,
  );
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
  await workspace.close();
}
