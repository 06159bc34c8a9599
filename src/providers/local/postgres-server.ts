import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { access, chmod, chown, constants, mkdir, readFile, rm, stat } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { shellQuote } from "../../shell-quote.js";
import type { PostgresBinaries } from "./postgres-binaries.js";
import { baseEnv, RESTART_BACKOFF } from "./service-spec.js";
import {
  type ProcessGroupSpec,
  SUPERVISOR_PROTOCOL_VERSION,
  type SupervisorSpec,
} from "./supervisor/supervisor-protocol.js";
import { writeFileAtomic } from "./workdir.js";

/**
 * A PostgreSQL cluster for one `infra.database`: initdb into `<dir>/data`, a server
 * supervised on a fixed loopback port (TCP only: socket paths under a deep workdir
 * overflow the 107-byte limit), and a role and database of its own.
 */

/** The superuser initdb creates; the resource's own role is separate. */
export const ADMIN_USER = "wfctl_admin";
export const DATA_DIR = "data";
/** The superuser's password, kept next to the data so kept data stays usable. */
export const ADMIN_PASSWORD_FILE = "admin.pw";

export const randomPassword = (): string => randomBytes(18).toString("base64url");

/** The cluster's superuser password: the kept one, else a new one. */
export async function adminPassword(dir: string): Promise<string> {
  const file = path.join(dir, ADMIN_PASSWORD_FILE);
  const kept = await readFile(file, "utf8").catch(() => "");
  if (kept.trim() !== "") return kept.trim();
  const fresh = randomPassword();
  await writeFileAtomic(file, fresh);
  return fresh;
}

/**
 * PostgreSQL, run as an unprivileged user (when wfctl is root), must be able to
 * enter every folder down to its data: folders wfctl made below the config's folder
 * get o+x (enter, not list); any folder above must allow it already, or the error
 * says which one does not.
 */
async function ensureReachable(dir: string, configDir: string): Promise<void> {
  for (let d = dir; ; d = path.dirname(d)) {
    const mode = (await stat(d)).mode;
    if (d.startsWith(`${configDir}${path.sep}`)) {
      await chmod(d, (mode & 0o777) | 0o001);
    } else if ((mode & 0o001) === 0) {
      throw new Error(
        `engine postgres: PostgreSQL runs as user postgres, which cannot enter ${d} (mode ${(mode & 0o777).toString(8)}); set the iac.provider module's workdir to a folder it can reach, or chmod o+x ${d}`,
      );
    }
    if (d === path.dirname(d)) return;
  }
}

function run(
  command: string,
  args: string[],
  bins: PostgresBinaries,
  log: string[],
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ["ignore", "pipe", "pipe"],
      ...(bins.runAs ? { uid: bins.runAs.uid, gid: bins.runAs.gid } : {}),
      env: { ...process.env, LC_ALL: "C" },
    });
    const collect = (d: Buffer) => log.push(...d.toString().split("\n").filter(Boolean));
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.once("error", reject);
    child.once("close", (code) =>
      code === 0
        ? resolve()
        : reject(
            new Error(
              `${path.basename(command)} exited with code ${code}:\n${log.slice(-15).join("\n")}`,
            ),
          ),
    );
  });
}

/** Creates the cluster in `<dir>/data` unless it is there already (kept data is reused). */
export async function initCluster(
  dir: string,
  configDir: string,
  bins: PostgresBinaries,
  adminPassword: string,
): Promise<void> {
  const data = path.join(dir, DATA_DIR);
  const exists = await access(path.join(data, "PG_VERSION"), constants.F_OK).then(
    () => true,
    () => false,
  );
  if (bins.runAs) await ensureReachable(dir, configDir);
  if (exists) return;
  await rm(data, { recursive: true, force: true });
  await mkdir(data, { mode: 0o700 });
  const pwfile = path.join(dir, ".initdb-pw");
  await writeFileAtomic(pwfile, `${adminPassword}\n`);
  if (bins.runAs) {
    await chown(data, bins.runAs.uid, bins.runAs.gid);
    await chown(pwfile, bins.runAs.uid, bins.runAs.gid);
  }
  try {
    await run(
      path.join(bins.bin, "initdb"),
      [
        "-D",
        data,
        "-U",
        ADMIN_USER,
        "--auth=scram-sha-256",
        `--pwfile=${pwfile}`,
        "-E",
        "UTF8",
        "--no-instructions",
      ],
      bins,
      [],
    );
  } finally {
    await rm(pwfile, { force: true });
  }
}

/** The supervisor spec running the server on `port`. */
export function postgresSupervisorSpec(
  name: string,
  dir: string,
  bins: PostgresBinaries,
  port: number,
  generation: number,
): SupervisorSpec {
  const data = path.join(dir, DATA_DIR);
  const group: ProcessGroupSpec = {
    name: "postgres",
    command: `exec ${shellQuote(path.join(bins.bin, "postgres"))} -D ${shellQuote(data)} -p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''`,
    cwd: dir,
    env: { ...baseEnv(), LC_ALL: "C" },
    instances: 1,
    port: false,
    fixed_port: port,
    health: {
      port,
      initial_delay_ms: 0,
      period_ms: 200,
      timeout_ms: 1000,
      success_threshold: 1,
      failure_threshold: 3,
    },
    ...(bins.runAs ? { run_as: { uid: bins.runAs.uid, gid: bins.runAs.gid } } : {}),
    stop_signal: "SIGINT",
  };
  return {
    version: SUPERVISOR_PROTOCOL_VERSION,
    resource: name,
    type: "infra.database",
    generation,
    groups: [group],
    termination: { drain_ms: 0, grace_ms: 10_000 },
    restart: RESTART_BACKOFF,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Connects as the superuser, retrying while the server is still starting up. */
async function adminClient(
  port: number,
  adminPassword: string,
  timeoutMs: number,
): Promise<pg.Client> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new pg.Client({
      host: "127.0.0.1",
      port,
      user: ADMIN_USER,
      password: adminPassword,
      database: "postgres",
    });
    try {
      await client.connect();
      return client;
    } catch (err) {
      await client.end().catch(() => undefined);
      const code = (err as { code?: string }).code;
      const starting = code === "57P03" || code === "ECONNREFUSED" || code === "ECONNRESET";
      if (!starting || Date.now() >= deadline) throw err;
      await sleep(100);
    }
  }
}

/**
 * Makes `user` (with `password`) own database `database`, creating either when
 * missing. Identifiers and the password are quoted by the server (`format` with
 * %I/%L over bound parameters), never spliced in here.
 */
export async function provisionDatabase(
  port: number,
  adminPassword: string,
  database: string,
  user: string,
  password: string,
  timeoutMs: number,
): Promise<void> {
  const client = await adminClient(port, adminPassword, timeoutMs);
  const exec = async (template: string, ...args: string[]) => {
    const params = args.map((_, i) => `$${i + 2}::text`).join(", ");
    const { rows } = await client.query<{ sql: string }>(`SELECT format($1, ${params}) AS sql`, [
      template,
      ...args,
    ]);
    await client.query(rows[0]?.sql ?? "");
  };
  try {
    const role = await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [user]);
    await exec(
      role.rowCount
        ? "ALTER ROLE %I WITH LOGIN PASSWORD %L"
        : "CREATE ROLE %I WITH LOGIN PASSWORD %L",
      user,
      password,
    );
    const db = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (!db.rowCount) await exec("CREATE DATABASE %I OWNER %I", database, user);
    else await exec("ALTER DATABASE %I OWNER TO %I", database, user);
  } finally {
    await client.end();
  }
}
