import { chmod, readdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import Database from "better-sqlite3";
import {
  type CallOptions,
  type Diagnostic,
  ErrValidation,
  type HealthResult,
  type ResourceDriver,
  type ResourceOutput,
  type ResourceRef,
  type ResourceSpec,
  wrapSentinel,
} from "../../contracts/index.js";
import { deletesData } from "./delete-data.js";
import type { LocalContext } from "./local-context.js";
import { LocalDriver } from "./local-driver.js";
import { allocatePort, isPortFree } from "./ports.js";
import { postgresBinaries } from "./postgres-binaries.js";
import {
  ADMIN_PASSWORD_FILE,
  adminPassword,
  DATA_DIR,
  initCluster,
  postgresSupervisorSpec,
  provisionDatabase,
  randomPassword,
} from "./postgres-server.js";
import {
  liveSupervisorPid,
  readSpec,
  readStatus,
  SupervisorNotReadyError,
  startSupervisor,
  stopSupervisor,
  waitReady,
  writeSpec,
} from "./supervisor-client.js";
import { notReadyError, replicaSummary, supervisorDiagnostics } from "./supervisor-diagnostics.js";
import type { ResourceRecord } from "./workdir.js";

export const DATABASE_TYPE = "infra.database";

type Engine = "sqlite" | "postgres";

/** What a postgres database keeps in its record between runs. */
interface PostgresData {
  readonly port: number;
  readonly database: string;
  readonly user: string;
  readonly password: string;
}

const STOP_GRACE_MS = 15_000;

/**
 * `infra.database` on this machine: `engine: sqlite`, a database file; `engine:
 * postgres`, a supervised PostgreSQL cluster on a free loopback port with its own
 * role. Deleting keeps the data (the `.db` file, the cluster's `data/`) unless
 * delete_data is set (see delete-data.ts); a new database of the same name reuses it.
 */
export class DatabaseDriver extends LocalDriver implements ResourceDriver {
  constructor(
    ctx: LocalContext,
    private readonly deleteDataDefault: boolean,
  ) {
    super(ctx, DATABASE_TYPE, new Set(["engine", "database"]));
  }

  #sqliteFile(record: { name: string; config: Record<string, unknown> }): string {
    const base = typeof record.config.database === "string" ? record.config.database : record.name;
    return path.join(this.dir(record.name), `${base}.db`);
  }

  protected async isLive(record: ResourceRecord): Promise<boolean> {
    if (engineOf(record.config) === "sqlite") {
      return stat(this.#sqliteFile(record)).then(
        () => true,
        () => false,
      );
    }
    return (await liveSupervisorPid(this.dir(record.name))) !== undefined;
  }

  protected async output(record: ResourceRecord): Promise<ResourceOutput> {
    const base = { name: record.name, type: record.type, provider_id: record.id };
    if (engineOf(record.config) === "sqlite") {
      const file = this.#sqliteFile(record);
      return {
        ...base,
        outputs: { engine: "sqlite", path: file, uri: `sqlite://${file}` },
        sensitive: { uri: true },
        status: "running",
      };
    }
    const data = record.data as unknown as PostgresData;
    const status = await readStatus(this.dir(record.name));
    const uri = `postgres://${encodeURIComponent(data.user)}:${encodeURIComponent(data.password)}@127.0.0.1:${data.port}/${encodeURIComponent(data.database)}`;
    return {
      ...base,
      outputs: {
        engine: "postgres",
        host: "127.0.0.1",
        port: data.port,
        database: data.database,
        user: data.user,
        password: data.password,
        uri,
      },
      sensitive: { password: true, uri: true },
      status: status?.ready ? "running" : "degraded",
    };
  }

  async create(spec: ResourceSpec, opts: CallOptions = {}): Promise<ResourceOutput> {
    const engine = checkEngine(spec);
    if (engine === "sqlite") {
      const record = await this.claim(spec);
      await this.firstDeploy(record, () => createSqliteFile(this.#sqliteFile(record)));
      return this.output(record);
    }
    const data: PostgresData = {
      port: await allocatePort(),
      database: stringOr(spec.config.database, spec.name),
      user: stringOr(spec.config.user, spec.name),
      password: randomPassword(),
    };
    const record = await this.claim(spec, { ...data });
    await this.firstDeploy(record, () => this.#startPostgres(record, data, 1, opts.signal));
    return this.output(record);
  }

  async update(
    ref: ResourceRef,
    spec: ResourceSpec,
    opts: CallOptions = {},
  ): Promise<ResourceOutput> {
    const engine = checkEngine(spec);
    const record = await this.locateFor(ref, spec);
    if (!record || engineOf(record.config) !== engine) return this.create(spec, opts);
    if (engine === "sqlite") {
      const updated = await this.rewrite(record, spec.config);
      await createSqliteFile(this.#sqliteFile(updated));
      return this.output(updated);
    }
    const old = record.data as unknown as PostgresData;
    const data: PostgresData = { ...old, user: stringOr(spec.config.user, spec.name) };
    const updated = await this.rewrite(record, spec.config, { ...data });
    const dir = this.dir(record.name);
    if ((await liveSupervisorPid(dir)) === undefined) {
      const generation = ((await readSpec(dir))?.generation ?? 0) + 1;
      await this.#startPostgres(updated, data, generation, opts.signal);
    } else if (data.user !== old.user) {
      await provisionDatabase(
        data.port,
        await adminPassword(dir),
        data.database,
        data.user,
        data.password,
        this.ctx.readyTimeoutMs,
      );
    }
    return this.output(updated);
  }

  async delete(ref: ResourceRef): Promise<void> {
    const record = await this.locate(ref);
    if (!record) return;
    const dir = this.dir(record.name);
    if (engineOf(record.config) === "postgres") await stopSupervisor(dir, STOP_GRACE_MS);
    if (deletesData(this.deleteDataDefault, record.config)) {
      await this.ctx.workdir.remove(this.type, record.name);
    } else {
      await this.removeLeftovers(record);
    }
  }

  /** Everything but the data: the record, spec, status and logs. */
  protected override async removeLeftovers(record: ResourceRecord): Promise<void> {
    const dir = this.dir(record.name);
    // A server whose supervisor died would still hold the data directory.
    if (engineOf(record.config) === "postgres") await stopSupervisor(dir, STOP_GRACE_MS);
    const file = path.basename(this.#sqliteFile(record));
    const keep = new Set(
      engineOf(record.config) === "sqlite"
        ? [file, `${file}-wal`, `${file}-shm`]
        : [DATA_DIR, ADMIN_PASSWORD_FILE],
    );
    const entries = await readdir(dir).catch(() => [] as string[]);
    for (const entry of entries) {
      if (!keep.has(entry)) await rm(path.join(dir, entry), { recursive: true, force: true });
    }
  }

  async healthCheck(ref: ResourceRef): Promise<HealthResult> {
    const record = await this.liveRecord(ref);
    if (engineOf(record.config) === "sqlite")
      return { healthy: true, message: "database file present" };
    const status = await readStatus(this.dir(record.name));
    return status?.ready
      ? { healthy: true, message: "postgres accepting connections" }
      : { healthy: false, message: status?.error ?? replicaSummary(status) };
  }

  async scale(ref: ResourceRef): Promise<ResourceOutput> {
    throw wrapSentinel(ErrValidation, `${ref.name}: a local database cannot be scaled`);
  }

  async sensitiveKeys(): Promise<string[]> {
    return ["password", "uri"];
  }

  async troubleshoot(ref: ResourceRef): Promise<Diagnostic[]> {
    const record = await this.locate(ref);
    if (!record || engineOf(record.config) === "sqlite") return [];
    return supervisorDiagnostics(this.dir(record.name), record.name);
  }

  async #startPostgres(
    record: ResourceRecord,
    data: PostgresData,
    generation: number,
    signal?: AbortSignal,
  ): Promise<void> {
    const dir = this.dir(record.name);
    if (!(await isPortFree(data.port))) {
      throw new Error(
        `${record.name}: port ${data.port}, recorded for this database, is in use by another program; stop it or delete and recreate the database`,
      );
    }
    const bins = await postgresBinaries();
    const admin = await adminPassword(dir);
    await initCluster(dir, this.ctx.configDir, bins, admin);
    await writeSpec(dir, postgresSupervisorSpec(record.name, dir, bins, data.port, generation));
    const pid = await startSupervisor(dir);
    try {
      await waitReady(dir, {
        generation,
        pid,
        timeoutMs: this.ctx.readyTimeoutMs,
        ...(signal ? { signal } : {}),
      });
    } catch (err) {
      await stopSupervisor(dir, STOP_GRACE_MS).catch(() => undefined);
      if (!(err instanceof SupervisorNotReadyError)) throw err;
      throw await notReadyError(dir, record.name, err.message, err.status);
    }
    await provisionDatabase(
      data.port,
      admin,
      data.database,
      data.user,
      data.password,
      this.ctx.readyTimeoutMs,
    );
  }
}

function engineOf(config: Readonly<Record<string, unknown>>): Engine {
  return config.engine === "postgres" ? "postgres" : "sqlite";
}

function checkEngine(spec: ResourceSpec): Engine {
  const engine = spec.config.engine;
  if (engine !== "sqlite" && engine !== "postgres") {
    throw wrapSentinel(
      ErrValidation,
      `${spec.name}: the local provider runs engine sqlite or postgres, not ${JSON.stringify(engine ?? null)}`,
    );
  }
  return engine;
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === "string" && value !== "" ? value : fallback;
}

/** Creates (or opens) the SQLite file, private to the user. */
async function createSqliteFile(file: string): Promise<void> {
  const db = new Database(file);
  try {
    db.pragma("journal_mode = WAL");
  } finally {
    db.close();
  }
  await chmod(file, 0o600);
}
