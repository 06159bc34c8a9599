import { afterEach, expect } from "vitest";
import { errorIs, type SentinelError } from "../../src/contracts/index.js";
import type { SqlDatabase } from "../../src/engine/database/sql-database.js";
import { migrateUp } from "../../src/migrations/index.js";
import {
  CachedTenantRegistry,
  type CachedTenantRegistryOptions,
} from "../../src/tenants/cached-tenant-registry.js";
import { SqlTenantRegistry } from "../../src/tenants/sql-tenant-registry.js";
import { tenantRegistryMigrations } from "../../src/tenants/tenant-registry-schema.js";

/** Opens one more connection to the same database. */
export type Connect = () => Promise<SqlDatabase>;

/** Creates an empty database and says how to connect to it (each call: another connection). */
export type FreshDatabase = () => Promise<Connect>;

/** Applies the registry's migrations the way database modules do at start. */
export async function migrateTenantRegistry(db: SqlDatabase): Promise<void> {
  const migrations = await db.migrationDatabase();
  try {
    await migrateUp(migrations, {
      modules: [
        {
          name: "tenants",
          provider: {
            providesMigrations: async () => tenantRegistryMigrations(db.dialect),
            migrationsDependencies: () => [],
          },
        },
      ],
    });
  } finally {
    await migrations.close();
  }
}

/**
 * Databases and registries for the tests of the enclosing describe; closed (cached
 * registries stopped first) after each test.
 */
export function registryFixtures(fresh: FreshDatabase) {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const connectTracked = (connect: Connect): Connect => {
    return async () => {
      const db = await connect();
      cleanups.push(() => db.close());
      return db;
    };
  };
  return {
    /** A migrated, empty database: a registry on it, and a way to open more connections. */
    async open(): Promise<{ registry: SqlTenantRegistry; db: SqlDatabase; connect: Connect }> {
      const connect = connectTracked(await fresh());
      const db = await connect();
      await migrateTenantRegistry(db);
      return { registry: new SqlTenantRegistry(db), db, connect };
    },
    /** A cached registry over `inner`, stopped after the test. */
    cached(inner: SqlTenantRegistry, options?: CachedTenantRegistryOptions): CachedTenantRegistry {
      const registry = new CachedTenantRegistry(inner, options);
      cleanups.push(() => registry.stop());
      return registry;
    },
  };
}

/** What `promise` rejected with; fails the test when it resolved. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!("error" in outcome))
    throw new Error(`expected a rejection, got ${JSON.stringify(outcome)}`);
  expect(outcome.error).toBeInstanceOf(Error);
  return outcome.error as Error;
}

/** Asserts `promise` rejects with an error matching `sentinel`; returns its message. */
export async function rejectsWith(
  promise: Promise<unknown>,
  sentinel: SentinelError,
): Promise<string> {
  const error = await rejection(promise);
  expect(errorIs(error, sentinel), `${error.message} should match ${sentinel.message}`).toBe(true);
  return error.message;
}

/** Polls `check` until it returns true or `ms` pass; resolves to the elapsed time, or undefined. */
export async function within(
  ms: number,
  check: () => Promise<boolean>,
): Promise<number | undefined> {
  const start = Date.now();
  while (Date.now() - start <= ms) {
    if (await check()) return Date.now() - start;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return undefined;
}
