import { describe } from "vitest";
import { PostgresDatabase } from "../../src/engine/database/postgres-database.js";
import { postgresAvailable, postgresForSuite } from "../helpers/postgres.js";
import { cachedTenantRegistrySuite } from "./cached-tenant-registry-suite.js";
import type { FreshDatabase } from "./registry-database.js";
import { tenantRegistrySuite } from "./tenant-registry-suite.js";

describe.skipIf(!postgresAvailable())("tenant registries on PostgreSQL", () => {
  const cluster = postgresForSuite();
  let databases = 0;
  /** A new database; every connect opens another pool to it. */
  const freshDatabase: FreshDatabase = async () => {
    const dsn = await cluster.createDatabase(`tenants_${++databases}`);
    return () => PostgresDatabase.connect({ name: "tenants", dsn });
  };

  describe("SqlTenantRegistry", () => {
    tenantRegistrySuite(freshDatabase);
  });

  describe("CachedTenantRegistry", () => {
    cachedTenantRegistrySuite(freshDatabase);
  });
});
