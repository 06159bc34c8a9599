// The migrations runner on SQLite and PostgreSQL: 1,000 small migrations (a table and
// a row each, in SQL both engines run; one file per version in a temp folder) applied
// by one `Migrator.up()` on a fresh database (SQLite target: under 5 s), then
// `Migrator.status()` with all 1,000 applied (SQLite target: under 300 ms, median of
// 10), then `wfctl migrate status` once through the real executable, process start
// included (`wfctl --version` alone is printed for comparison). PostgreSQL runs on a
// throwaway cluster (fsync off, as in the tests): its figures are reported, no target.
import { execFileSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Migrator, openMigrationDatabase, readMigrationSet } from "../src/migrations/index.js";
import {
  type PostgresCluster,
  postgresAvailable,
  startPostgres,
} from "../test/helpers/postgres.js";
import { type Timing, time } from "./stats.js";

const COUNT = 1_000;
const STATUS_RUNS = 10;
const root = fileURLToPath(new URL("../", import.meta.url));

const ms = (value: number) => `${value.toFixed(0)} ms`;
const target = (limit: number | undefined) =>
  limit === undefined ? "(reported)" : `(target < ${limit} ms)`;

function line(label: string, figure: string, limit: number | undefined): void {
  console.log(`${label.padEnd(48)} ${figure}  ${target(limit)}`);
}

function timingLine(label: string, t: Timing, limit: number | undefined): void {
  line(
    label,
    `median ${t.medianMs.toFixed(1)} ms  p95 ${t.p95Ms.toFixed(1)} ms  min ${t.minMs.toFixed(1)} ms  (${t.runs} runs)`,
    limit,
  );
}

function writeMigrations(dir: string): void {
  mkdirSync(dir);
  for (let i = 1; i <= COUNT; i++) {
    writeFileSync(
      path.join(dir, `${String(i).padStart(6, "0")}_t${i}.up.sql`),
      `CREATE TABLE t_${i} (id INTEGER PRIMARY KEY, name TEXT);\nINSERT INTO t_${i} (id, name) VALUES (1, 'x');\n`,
    );
  }
}

/** The bundle bin/wfctl.js runs; rebuilt when missing or older than a source file. */
function ensureBundle(): void {
  const bundle = path.join(root, "dist", "wfctl.mjs");
  const built = existsSync(bundle) ? statSync(bundle).mtimeMs : 0;
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((latest, entry) => {
      const full = path.join(dir, entry.name);
      const m = entry.isDirectory() ? newest(full) : statSync(full).mtimeMs;
      return Math.max(latest, m);
    }, 0);
  if (built === 0 || newest(path.join(root, "src")) > built) {
    console.log(`(dist/wfctl.mjs ${built === 0 ? "missing" : "older than src/"}: npm run build)`);
    execFileSync("npm", ["run", "build"], { cwd: root, stdio: "inherit" });
  }
}

function cliStatus(engine: string, dsn: string, dir: string): void {
  const started = performance.now();
  const out = execFileSync(
    process.execPath,
    ["bin/wfctl.js", "migrate", "status", "--dsn", dsn, "--dir", dir],
    { cwd: root, stdio: "pipe", encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
  );
  const elapsed = performance.now() - started;
  const applied = /^Applied:\s+(\d+)/m.exec(out)?.[1];
  if (applied !== String(COUNT)) {
    throw new Error(`wfctl migrate status on ${engine} reported Applied ${applied}:\n${out}`);
  }
  line(`${engine}: wfctl migrate status (CLI, 1 run)`, ms(elapsed), undefined);
}

async function bench(
  engine: string,
  dsn: string,
  dir: string,
  limits: { up?: number; status?: number },
): Promise<void> {
  const readStarted = performance.now();
  const set = await readMigrationSet({ dir });
  const readMs = performance.now() - readStarted;
  if (set.migrations.length !== COUNT) {
    throw new Error(`read ${set.migrations.length} migrations, expected ${COUNT}`);
  }
  line(`${engine}: readMigrationSet (${COUNT} files)`, ms(readMs), undefined);

  const db = await openMigrationDatabase(dsn);
  try {
    const migrator = new Migrator(db, set);
    const upStarted = performance.now();
    const outcome = await migrator.up();
    const upMs = performance.now() - upStarted;
    if (outcome.done.length !== COUNT || outcome.current !== COUNT) {
      throw new Error(
        `up applied ${outcome.done.length} (now at ${outcome.current}), expected ${COUNT}`,
      );
    }
    const perStep = outcome.done.map((d) => d.durationMs).sort((a, b) => a - b);
    line(
      `${engine}: up ${COUNT} migrations (fresh db)`,
      `${ms(upMs)}  per migration ${(upMs / COUNT).toFixed(2)} ms  (step p95 ${perStep[Math.floor(0.95 * COUNT)]} ms, max ${perStep[COUNT - 1]} ms)`,
      limits.up,
    );

    const first = await migrator.status();
    if (first.applied.length !== COUNT || first.pending.length !== 0) {
      throw new Error(
        `status: ${first.applied.length} applied, ${first.pending.length} pending after up`,
      );
    }
    timingLine(
      `${engine}: status (${COUNT} applied)`,
      await time(STATUS_RUNS, () => migrator.status()),
      limits.status,
    );
  } finally {
    await db.close();
  }
  cliStatus(engine, dsn, dir);
}

const work = mkdtempSync(path.join(tmpdir(), "wfctl-bench-migrations-"));
let cluster: PostgresCluster | undefined;
try {
  const dir = path.join(work, "migrations");
  writeMigrations(dir);
  ensureBundle();
  const baseline = performance.now();
  execFileSync(process.execPath, ["bin/wfctl.js", "--version"], { cwd: root, stdio: "pipe" });
  line("wfctl --version (process start, 1 run)", ms(performance.now() - baseline), undefined);

  await bench("sqlite", `sqlite:${path.join(work, "bench.db")}`, dir, {
    up: 5000,
    status: 300,
  });

  if (!postgresAvailable()) {
    console.log("postgres: skipped (initdb / pg_ctl not found; install PostgreSQL to run it)");
  } else {
    cluster = await startPostgres();
    await bench("postgres", await cluster.createDatabase("bench_migrations"), dir, {});
  }
} finally {
  await cluster?.stop();
  rmSync(work, { recursive: true, force: true });
}
