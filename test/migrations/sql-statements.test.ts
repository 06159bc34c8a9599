import { describe, expect, it } from "vitest";
import { splitStatements } from "../../src/migrations/sql-statements.js";

describe("splitStatements", () => {
  it("gives each statement its 1-based line and column, after leading comments", () => {
    const sql =
      "-- header\n\n/* note */ CREATE TABLE a (x int);\n  INSERT INTO a VALUES (1); SELECT ';';\n";
    expect(splitStatements(sql, "sqlite").map((s) => [s.line, s.column, s.preview])).toEqual([
      [3, 12, "CREATE TABLE a (x int)"],
      [4, 3, "INSERT INTO a VALUES (1)"],
      [4, 29, "SELECT ';'"],
    ]);
  });

  it("keeps a SQLite trigger body and a PostgreSQL dollar-quoted body whole", () => {
    const trigger =
      "CREATE TRIGGER t AFTER INSERT ON a BEGIN\n  INSERT INTO b VALUES (1);\n  UPDATE c SET x = 1;\nEND;\nSELECT 1;";
    expect(splitStatements(trigger, "sqlite")).toHaveLength(2);
    const fn =
      "CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END; $$ LANGUAGE plpgsql;\nSELECT f();";
    expect(splitStatements(fn, "postgres").map((s) => s.line)).toEqual([1, 2]);
  });

  it("drops a file's trailing comments", () => {
    expect(splitStatements("SELECT 1;\n-- the end\n", "postgres")).toHaveLength(1);
  });
});
