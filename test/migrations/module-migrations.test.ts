import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { MigrationProvider } from "../../src/contracts/index.js";
import { WfError } from "../../src/diagnostics/index.js";
import {
  APP_SCOPE,
  Migrator,
  migrateUp,
  moduleScope,
  type NamedMigrationProvider,
  openMigrationDatabase,
  orderMigrationProviders,
  readMigrationSet,
} from "../../src/migrations/index.js";

/** A module that ships migrations in memory, as the tenants registry will. */
function shipping(
  name: string,
  deps: string[],
  files: Record<string, string>,
): NamedMigrationProvider {
  const provider: MigrationProvider = {
    providesMigrations: async () => ({ files }),
    migrationsDependencies: () => deps,
  };
  return { name, provider };
}

describe("modules' migrations", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("orders providers after their dependencies, stably by name", () => {
    const order = orderMigrationProviders([
      shipping("tenants", ["store"], {}),
      shipping("authz", ["tenants"], {}),
      shipping("store", [], {}),
      shipping("audit", [], {}),
    ]).map((p) => p.name);
    expect(order).toEqual(["audit", "store", "tenants", "authz"]);
  });

  it("names a dependency cycle and an unknown dependency", () => {
    const cycle = () =>
      orderMigrationProviders([
        shipping("a", ["b"], {}),
        shipping("b", ["c"], {}),
        shipping("c", ["a"], {}),
      ]);
    expect(cycle).toThrow("migration dependency cycle: a → b → c → a");
    try {
      cycle();
    } catch (err) {
      expect(WfError.is(err) && err.code).toBe("WF_ERR_CONFIG_CYCLE");
    }
    expect(() => orderMigrationProviders([shipping("a", ["ghost"], {})])).toThrow(
      'module "a" needs the migrations of "ghost", which is not a module that ships migrations',
    );
  });

  it("applies each module's migrations under its own history, then the app's", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "wfctl-modmig-"));
    dirs.push(dir);
    const db = await openMigrationDatabase(`sqlite:${path.join(dir, "app.db")}`);
    try {
      const store = shipping("store", [], {
        "1_stores.up.sql": "CREATE TABLE stores (id INTEGER PRIMARY KEY);",
        "2_index.up.sql": "CREATE INDEX stores_id ON stores (id);",
      });
      const outcomes = await migrateUp(db, {
        modules: [
          // tenants' table references store's: it must come second.
          shipping("tenants", ["store"], {
            "1_tenants.up.sql":
              "CREATE TABLE tenants (id INTEGER PRIMARY KEY, store_id INTEGER REFERENCES stores (id));",
          }),
          store,
        ],
        app: await readMigrationSet({
          files: {
            "1_orders.up.sql": "CREATE TABLE orders (tenant_id INTEGER REFERENCES tenants (id));",
          },
        }),
      });
      expect(outcomes.map((o) => [o.scope, o.outcome.current])).toEqual([
        [moduleScope("store"), 2],
        [moduleScope("tenants"), 1],
        [APP_SCOPE, 1],
      ]);
      const app = new Migrator(db, await readMigrationSet({ files: {} }));
      expect((await app.status()).applied.map((a) => a.description)).toEqual(["orders"]);
      // A second start finds everything applied.
      const again = await migrateUp(db, { modules: [store] });
      expect(again[0]?.outcome).toMatchObject({ done: [], current: 2 });
    } finally {
      await db.close();
    }
  });
});
