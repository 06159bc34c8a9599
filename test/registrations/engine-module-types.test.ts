import { describe, expect, it } from "vitest";
import { ConfigTypeRegistry } from "../../src/config/type-registry.js";
import { engineModuleTypes, registerEngineModuleTypes } from "../../src/engine/module-types.js";
import { checkerFor } from "./support.js";

const check = (type: string) => checkerFor(engineModuleTypes, type);

describe("engine module types", () => {
  it("registers every app module of CONFIG.md", () => {
    const registry = new ConfigTypeRegistry();
    registerEngineModuleTypes(registry);
    expect(registry.list("module").map((d) => d.type)).toEqual([
      "http.server",
      "database.sqlite",
      "database.postgres",
      "execution.store",
      "eventbus.memory",
      "metrics.prometheus",
    ]);
  });

  describe("http.server", () => {
    const server = check("http.server");

    it("accepts defaults, full configs and ${VAR} values", () => {
      server.valid({});
      server.valid({
        address: ":8080",
        body_limit: 1048576,
        request_id: true,
        cors: {
          allow_origins: ["https://app.example.com"],
          allow_methods: ["GET", "POST"],
          allow_headers: ["Content-Type"],
          expose_headers: ["X-Request-ID"],
          allow_credentials: true,
          max_age: "10m",
        },
        health_path: "/healthz",
        ready_path: "/readyz",
        live_path: "/livez",
        openapi_path: "/openapi.json",
      });
      server.valid({ address: "127.0.0.1:0" });
      server.valid({ address: "[::1]:3000", body_limit: "10MiB", cors: { max_age: 600 } });
      server.valid({ address: "${LISTEN:-:8080}", request_id: "${REQUEST_IDS}" });
      server.valid({ address: "localhost:65535", request_id: "false" });
    });

    it("rejects bad ports, typos and wrong types", () => {
      server.invalid({ address: ":70000" }, "address");
      server.invalid({ address: "8080" }, "address");
      server.invalid({ adress: ":8080" }, "adress");
      server.invalid({ body_limit: 0 }, "body_limit");
      server.invalid({ body_limit: "1 megabyte" }, "body_limit");
      server.invalid({ request_id: "yes" }, "request_id");
      server.invalid({ health_path: "healthz" }, "health_path");
      server.invalid({ cors: { allow_origin: ["*"] } }, "allow_origin");
      server.invalid({ cors: { allow_methods: ["FETCH"] } });
    });
  });

  describe("databases", () => {
    it("database.sqlite needs a path; :memory: is allowed", () => {
      const sqlite = check("database.sqlite");
      sqlite.valid({ path: "data/app.db", migrations: "migrations" });
      sqlite.valid({ path: ":memory:" });
      sqlite.invalid({}, "path");
      sqlite.invalid({ path: "" }, "path");
      sqlite.invalid({ path: "a.db", dsn: "x" }, "dsn");
    });

    it("database.postgres needs a dsn; pool_size is a positive integer", () => {
      const postgres = check("database.postgres");
      postgres.valid({ dsn: "${DATABASE_URL}", pool_size: 20, migrations: "./migrations" });
      postgres.valid({ dsn: "postgres://u:p@localhost:5432/app", pool_size: "${POOL:-10}" });
      postgres.invalid({ pool_size: 5 }, "dsn");
      postgres.invalid({ dsn: "postgres://x", pool_size: 0 }, "pool_size");
      postgres.invalid({ dsn: "postgres://x", pool_size: "many" }, "pool_size");
      postgres.invalid({ dsn: "postgres://x", poolsize: 5 }, "poolsize");
    });
  });

  describe("execution.store", () => {
    const store = check("execution.store");
    it("accepts CONFIG.md's keys", () => {
      store.valid({ database: "app-db", retention: "7d", record: "failed" });
      store.valid({ database: "app-db", retention: "36h" });
      store.valid({ database: "app-db", retention: "${RETENTION}" });
    });
    it("rejects a bad record mode, retention or missing database", () => {
      store.invalid({ database: "db", record: "some" }, "record");
      store.invalid({ database: "db", retention: "7 days" }, "retention");
      store.invalid({ retention: "7d" }, "database");
    });
  });

  it("eventbus.memory takes no keys", () => {
    const bus = check("eventbus.memory");
    bus.valid({});
    bus.invalid({ size: 10 }, "size");
  });

  it("metrics.prometheus takes a path", () => {
    const metrics = check("metrics.prometheus");
    metrics.valid({});
    metrics.valid({ path: "/internal/metrics" });
    metrics.invalid({ path: "metrics" }, "path");
    metrics.invalid({ port: 9090 }, "port");
  });
});
