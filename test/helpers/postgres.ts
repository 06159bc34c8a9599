import { execFileSync, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll } from "vitest";

/**
 * A throwaway PostgreSQL cluster for tests (real PostgreSQL, never mocked): initdb in
 * a temporary folder, started on a free port with durability off (tests need no crash
 * safety, and it is faster), stopped and removed by stop(). Start one per test file
 * in beforeAll and stop it in afterAll; a process exit also stops it, so a crashed
 * test run leaks no server.
 */
export interface PostgresCluster {
  /** Connection string of the `postgres` database, as superuser `postgres`. */
  readonly dsn: string;
  /** Creates a database and returns its connection string. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

/** True when initdb and pg_ctl can be found (CI installs them: see .ci/run). */
export function postgresAvailable(): boolean {
  return findPostgresBin() !== undefined;
}

/**
 * The cluster of the enclosing describe (or file): started before its tests, stopped
 * after them. Use it inside tests and hooks registered after this call.
 */
export function postgresForSuite(): PostgresCluster {
  let cluster: PostgresCluster | undefined;
  beforeAll(async () => {
    cluster = await startPostgres();
  }, 60_000);
  afterAll(() => cluster?.stop());
  const started = (): PostgresCluster => {
    if (!cluster) throw new Error("the PostgreSQL cluster starts in beforeAll: use it in tests");
    return cluster;
  };
  return {
    get dsn() {
      return started().dsn;
    },
    createDatabase: (name) => started().createDatabase(name),
    stop: () => started().stop(),
  };
}

export async function startPostgres(): Promise<PostgresCluster> {
  const bin = findPostgresBin();
  if (bin === undefined) {
    throw new Error(
      "PostgreSQL server binaries (initdb, pg_ctl) not found on PATH or in /usr/lib/postgresql/*/bin: install PostgreSQL (e.g. apt-get install postgresql; .ci/run does this) to run these tests",
    );
  }
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(path.join(tmpdir(), "wfctl-pg-"));
  if (asRoot) {
    // initdb and postgres refuse to run as root.
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    chownSync(dir, uid, gid);
  }
  const data = path.join(dir, "data");
  const run = (tool: string, args: readonly string[]) => {
    const command = asRoot
      ? ["runuser", ["-u", "postgres", "--", path.join(bin, tool), ...args]]
      : [path.join(bin, tool), args];
    const result = spawnSync(command[0] as string, command[1] as string[], {
      cwd: dir,
      encoding: "utf8",
    });
    if (result.status !== 0) {
      throw new Error(`${tool} failed (${result.status}): ${result.stderr || result.stdout}`);
    }
  };
  let stopped = false;
  const stopNow = () => {
    if (stopped) return;
    stopped = true;
    process.off("exit", stopNow);
    if (existsSync(path.join(data, "postmaster.pid"))) {
      try {
        run("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]);
      } catch {
        // Not running (it failed to start): nothing to stop.
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.on("exit", stopNow);
  try {
    run("initdb", ["-D", data, "--auth=trust", "-U", "postgres", "--no-sync", "-E", "UTF8"]);
    const port = await startOnFreePort(run, data, dir);
    const dsn = `postgresql://postgres@127.0.0.1:${port}/postgres`;
    return {
      dsn,
      async createDatabase(name) {
        const client = new pg.Client({ connectionString: dsn });
        await client.connect();
        try {
          await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
        } finally {
          await client.end();
        }
        return `postgresql://postgres@127.0.0.1:${port}/${encodeURIComponent(name)}`;
      },
      async stop() {
        stopNow();
      },
    };
  } catch (err) {
    stopNow();
    throw err;
  }
}

/** Starts the server; a port taken between choosing and binding is retried. */
async function startOnFreePort(
  run: (tool: string, args: readonly string[]) => void,
  data: string,
  socketDir: string,
): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const settings = [
      `-p ${port}`,
      `-k ${socketDir}`,
      "-c listen_addresses=127.0.0.1",
      "-c fsync=off",
      "-c synchronous_commit=off",
      "-c full_page_writes=off",
    ].join(" ");
    try {
      run("pg_ctl", ["-D", data, "-l", path.join(socketDir, "log"), "-o", settings, "-w", "start"]);
      return port;
    } catch (err) {
      if (attempt >= 3) throw err;
    }
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => {
        if (typeof address === "object" && address !== null) resolve(address.port);
        else reject(new Error("no port"));
      });
    });
  });
}

function findPostgresBin(): string | undefined {
  const hasTools = (dir: string) =>
    existsSync(path.join(dir, "initdb")) && existsSync(path.join(dir, "pg_ctl"));
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (dir !== "" && hasTools(dir)) return dir;
  }
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => hasTools(path.join(root, v, "bin")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : path.join(root, versions[0], "bin");
}
