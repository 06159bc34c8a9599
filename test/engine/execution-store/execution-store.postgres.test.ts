import { describe } from "vitest";
import { PostgresDatabase } from "../../../src/engine/database/postgres-database.js";
import { postgresAvailable, postgresForSuite } from "../../helpers/postgres.js";
import { executionStoreSuite } from "./store-suite.js";

describe.skipIf(!postgresAvailable())("ExecutionStore on PostgreSQL", () => {
  const cluster = postgresForSuite();
  let databases = 0;

  executionStoreSuite(async () =>
    PostgresDatabase.connect({
      name: "app",
      dsn: await cluster.createDatabase(`executions_${++databases}`),
    }),
  );
});
