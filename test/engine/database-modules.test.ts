import { describe, expect, it } from "vitest";
import { postgresAvailable, postgresForSuite } from "../helpers/postgres.js";
import { HTTP_SERVER, startTestApp } from "./engine-harness.js";

const MIGRATION = "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);";
const PG_MIGRATION = "CREATE TABLE notes (id SERIAL PRIMARY KEY, body TEXT NOT NULL);";

const pipelines = `
pipelines:
  add:
    trigger: { type: http, config: { method: POST, path: /notes } }
    steps:
      - name: insert
        type: step.db_exec
        config:
          database: db
          query: "INSERT INTO notes (body) VALUES ($1) RETURNING id"
          params: ["{{ .body.text }}"]
      - name: respond
        type: step.json_response
        config: { status: 201, body: { id: "{{ .steps.insert.last_id }}" } }
  list:
    trigger: { type: http, config: { method: GET, path: /notes } }
    steps:
      - name: rows
        type: step.db_query
        config: { database: db, query: "SELECT body FROM notes ORDER BY id" }
      - name: respond
        type: step.json_response
        config: { body: { _from: steps.rows.rows } }
`;

async function roundTrip(url: (p: string) => string) {
  const add = (text: string) =>
    fetch(url("/notes"), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text }),
    });
  expect((await add("first")).status).toBe(201);
  // A value that looks like SQL stays data: parameters are bound.
  expect((await add("x'); DROP TABLE notes; --")).status).toBe(201);
  return (await (await fetch(url("/notes"))).json()) as unknown;
}

describe("database modules at runtime", () => {
  it("database.sqlite applies its migrations folder at start and serves db steps", async () => {
    const { url, app } = await startTestApp(
      `modules:${HTTP_SERVER}
  - name: db
    type: database.sqlite
    config: { path: app.db, migrations: ./migrations }
  - name: executions
    type: execution.store
    config: { database: db }
${pipelines}`,
      { "migrations/1_notes.up.sql": MIGRATION },
    );
    expect(await roundTrip(url)).toEqual([
      { body: "first" },
      { body: "x'); DROP TABLE notes; --" },
    ]);
    expect((await fetch(url("/healthz"))).status).toBe(200);
    expect(app.modules().map((m) => m.name)).toEqual(["http", "db", "executions"]);
  });

  describe.skipIf(!postgresAvailable())("on PostgreSQL", () => {
    const cluster = postgresForSuite();

    it("database.postgres connects, applies its migrations and serves db steps", async () => {
      const dsn = await cluster.createDatabase("engine_app");
      const { url } = await startTestApp(
        `modules:${HTTP_SERVER}
  - name: db
    type: database.postgres
    config: { dsn: "${dsn}", pool_size: 4, migrations: ./migrations }
  - name: executions
    type: execution.store
    config: { database: db }
${pipelines}`,
        { "migrations/1_notes.up.sql": PG_MIGRATION },
      );
      expect(await roundTrip(url)).toEqual([
        { body: "first" },
        { body: "x'); DROP TABLE notes; --" },
      ]);
    });
  });
});
