import path from "node:path";
import { describe } from "vitest";
import { SqliteDatabase } from "../../../src/engine/database/sqlite-database.js";
import { tempDir } from "../../helpers/temp-dir.js";
import { executionStoreSuite } from "./store-suite.js";

describe("ExecutionStore on an in-memory SQLite database (written on the event loop)", () => {
  executionStoreSuite(async () => new SqliteDatabase({ name: "app", path: ":memory:" }));
});

describe("ExecutionStore on a SQLite file (written from a worker thread)", () => {
  executionStoreSuite(
    async () =>
      new SqliteDatabase({ name: "app", path: path.join(tempDir("wfctl-executions"), "app.db") }),
  );
});
