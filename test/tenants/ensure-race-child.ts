/**
 * One "process" of the SQLite ensure race (see tenant-registry.sqlite.test.ts): opens
 * the file given as argv[2], prints "ready", waits for a line on stdin, then runs
 * argv[3] concurrent ensures of slug "acme" and prints the ids it got as JSON.
 */
import { once } from "node:events";
import { SqliteDatabase } from "../../src/engine/database/sqlite-database.js";
import { SqlTenantRegistry } from "../../src/tenants/sql-tenant-registry.js";

const [file, count] = process.argv.slice(2);
const db = new SqliteDatabase({ name: "tenants", path: String(file) });
const registry = new SqlTenantRegistry(db);
process.stdout.write("ready\n");
await once(process.stdin, "data");
const tenants = await Promise.all(
  Array.from({ length: Number(count) }, (_, i) =>
    registry.ensure({ name: `Acme ${process.pid}-${i}`, slug: "acme", domains: ["acme.test"] }),
  ),
);
process.stdout.write(`${JSON.stringify(tenants.map((t) => t.id))}\n`);
await db.close();
process.stdin.destroy();
