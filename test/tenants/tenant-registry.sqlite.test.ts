import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it, onTestFinished } from "vitest";
import { SqliteDatabase } from "../../src/engine/database/sqlite-database.js";
import { SqlTenantRegistry } from "../../src/tenants/sql-tenant-registry.js";
import { tempDir } from "../helpers/temp-dir.js";
import { cachedTenantRegistrySuite } from "./cached-tenant-registry-suite.js";
import { type FreshDatabase, migrateTenantRegistry } from "./registry-database.js";
import { tenantRegistrySuite } from "./tenant-registry-suite.js";

/** A new SQLite file; every connect opens another connection to it. */
const freshFile: FreshDatabase = async () => {
  const file = path.join(tempDir("wfctl-tenants"), "tenants.db");
  return async () => new SqliteDatabase({ name: "tenants", path: file });
};

const CHILD = fileURLToPath(new URL("./ensure-race-child.ts", import.meta.url));

/** A process running ensure-race-child.ts; `ready` resolves once it has opened the file. */
function raceProcess(file: string, ensures: number) {
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", CHILD, file, String(ensures)],
    { stdio: ["pipe", "pipe", "pipe"] },
  );
  onTestFinished(() => {
    if (child.exitCode === null) child.kill("SIGKILL");
  });
  let stdout = "";
  let stderr = "";
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  child.stdout?.on("data", (d: Buffer) => {
    stdout += d.toString();
    if (stdout.startsWith("ready\n")) markReady();
  });
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  const ids = new Promise<string[]>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) reject(new Error(`race process exited ${code}: ${stderr}`));
      else resolve(JSON.parse(stdout.slice("ready\n".length)) as string[]);
    });
  });
  return { ready, go: () => child.stdin?.write("go\n"), ids };
}

describe("SqlTenantRegistry on a SQLite file", () => {
  tenantRegistrySuite(freshFile);

  it("ensures of one slug racing from 3 processes make one tenant", async () => {
    const file = path.join(tempDir("wfctl-tenants"), "tenants.db");
    const db = new SqliteDatabase({ name: "tenants", path: file });
    onTestFinished(() => db.close());
    await migrateTenantRegistry(db);

    const racers = Array.from({ length: 3 }, () => raceProcess(file, 5));
    await Promise.all(racers.map((r) => r.ready));
    for (const racer of racers) racer.go();
    const ids = (await Promise.all(racers.map((r) => r.ids))).flat();

    expect(ids).toHaveLength(15);
    expect(new Set(ids).size).toBe(1);
    const listed = await new SqlTenantRegistry(db).list();
    expect(listed.map((t) => [t.id, t.slug, t.domains])).toEqual([[ids[0], "acme", ["acme.test"]]]);
  });
});

describe("CachedTenantRegistry on a SQLite file", () => {
  cachedTenantRegistrySuite(freshFile);
});
