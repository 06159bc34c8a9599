import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { WfError } from "../../../src/diagnostics/index.js";
import { openPostgresStore } from "../../../src/iac/state/postgres/index.js";
import { postgresForSuite } from "../../helpers/postgres.js";
import { alice, rejection, resourceState } from "./store-fixtures.js";
import { testStateStore } from "./store-suite.js";

const cluster = postgresForSuite();
let dsn: string;
let databases = 0;

beforeAll(async () => {
  dsn = await cluster.createDatabase("state_suite");
});

async function sql(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

// Each test gets its own schema: as isolated as a database, and much faster to make.
let schemas = 0;
testStateStore("postgres", async () => {
  const schema = `suite_${++schemas}`;
  return {
    open: (identity) => openPostgresStore({ dsn, schema, identity }),
    async writeNewerFormat() {
      await sql(dsn, `UPDATE ${schema}.wfctl_state_schema SET version = 2`);
    },
    async dispose() {
      await sql(dsn, `DROP SCHEMA ${schema} CASCADE`);
    },
  };
});

describe("postgres state database", () => {
  const freshDatabase = () => cluster.createDatabase(`fresh_${++databases}`);

  it("sets up a fresh database once however many runs start at the same time", async () => {
    const url = await freshDatabase();
    const stores = await Promise.all(
      Array.from({ length: 6 }, () => openPostgresStore({ dsn: url, identity: alice })),
    );
    await stores[0]?.saveResource(resourceState("db"));
    expect((await stores[5]?.getResource("db"))?.name).toBe("db");
    await Promise.all(stores.map((s) => s.close()));
  });

  it("keeps states with different schemas or table prefixes apart", async () => {
    const url = await freshDatabase();
    const a = await openPostgresStore({ dsn: url, schema: "team_a", identity: alice });
    const b = await openPostgresStore({ dsn: url, tablePrefix: "other_", identity: alice });
    await a.saveResource(resourceState("only-in-a"));
    expect(await b.listResources()).toEqual([]);
    await Promise.all([a.close(), b.close()]);
  });

  it("never shows the password", async () => {
    const withPassword = (await freshDatabase()).replace("postgres@", "postgres:hunter2@");
    const store = await openPostgresStore({ dsn: withPassword, identity: alice });
    expect(store.location).not.toContain("hunter2");
    expect(store.location).toContain("postgres:***@127.0.0.1");
    await store.close();
  });

  it("says how to fix a database that does not exist", async () => {
    const missing = dsn.replace(/\/state_suite$/, "/no_such_db");
    const err = await rejection(openPostgresStore({ dsn: missing, identity: alice }));
    expect(WfError.is(err) && err.code).toBe("WF_ERR_STATE");
    expect((err as Error).message).toMatch(/does not exist; create it or correct the dsn/);
  });

  it("says how to fix an unreachable server", async () => {
    const err = await rejection(
      openPostgresStore({ dsn: "postgresql://postgres@127.0.0.1:1/x", identity: alice }),
    );
    expect(WfError.is(err) && err.code).toBe("WF_ERR_STATE");
    expect((err as Error).message).toMatch(/cannot reach the server/);
  });

  it("runs with read/write grants only once the tables exist", async () => {
    const url = await freshDatabase();
    await sql(url, "CREATE ROLE operator LOGIN");
    const asOperator = url.replace("postgres@", "operator@");
    const refused = await rejection(openPostgresStore({ dsn: asOperator, identity: alice }));
    expect((refused as Error).message).toMatch(/lacks a privilege/);

    await (await openPostgresStore({ dsn: url, identity: alice })).close();
    await sql(
      url,
      "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO operator",
    );
    const store = await openPostgresStore({ dsn: asOperator, identity: alice });
    await store.saveResource(resourceState("db"));
    expect((await store.getResource("db"))?.name).toBe("db");
    await store.close();
  });
});
