import { afterAll, beforeAll, describe } from "vitest";
import { PostgresDatabase } from "../../../src/engine/database/postgres-database.js";
import { type PostgresCluster, postgresAvailable, startPostgres } from "../../helpers/postgres.js";
import { executionStoreSuite } from "./store-suite.js";

describe.skipIf(!postgresAvailable())("ExecutionStore on PostgreSQL", () => {
  let cluster: PostgresCluster;
  let databases = 0;
  beforeAll(async () => {
    cluster = await startPostgres();
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  executionStoreSuite(async () =>
    PostgresDatabase.connect({
      name: "app",
      dsn: await cluster.createDatabase(`executions_${++databases}`),
    }),
  );
});
