import { describe, expect, it } from "vitest";
import { ConfigTypeRegistry } from "../../src/config/type-registry.js";
import { iacModuleTypes, registerIacModuleTypes } from "../../src/iac/module-types.js";
import { checkerFor } from "./support.js";

const check = (type: string) => checkerFor(iacModuleTypes, type);

describe("IaC module types", () => {
  it("registers the providers, state and resource types, with an infra.* fallback", () => {
    const registry = new ConfigTypeRegistry();
    registerIacModuleTypes(registry);
    expect(registry.list("module").map((d) => d.type)).toEqual([
      "iac.provider",
      "iac.state",
      "infra.container_service",
      "infra.database",
      "infra.static_site",
      "infra.*",
    ]);
    expect(registry.lookup("module", "infra.vpc")?.type).toBe("infra.*");
    expect(registry.lookup("module", "infra.database")?.type).toBe("infra.database");
    expect(registry.lookup("module", "infra.")).toBeUndefined();
  });

  it("iac.provider: provider required, the rest goes to the provider", () => {
    const provider = check("iac.provider");
    provider.valid({ provider: "local", workdir: ".wfctl/local" });
    provider.valid({ provider: "digitalocean", credentials: "env", region: "nyc3" });
    provider.invalid({ workdir: ".wfctl/local" }, "provider");
    provider.invalid({ provider: "" }, "provider");
  });

  describe("iac.state", () => {
    const state = check("iac.state");
    it("accepts each backend with its own keys", () => {
      state.valid({ backend: "filesystem", directory: ".wfctl/state" });
      state.valid({});
      state.valid({ directory: "state" });
      state.valid({ backend: "sqlite", path: ".wfctl/state.db", lock_ttl: "10m" });
      state.valid({ backend: "sqlite" });
      state.valid({ backend: "postgres", dsn: "${WFCTL_STATE_DSN}", lock_ttl: "${TTL}" });
      state.valid({ backend: "postgres", connection_string: "postgres://x" });
    });
    it("rejects unknown backends, missing dsn and other backends' keys", () => {
      state.invalid({ backend: "s3", bucket: "b" }, "backend");
      state.invalid({ backend: "postgres" });
      state.invalid({ backend: "postgres", dsn: "postgres://x", directory: "d" }, "directory");
      state.invalid({ backend: "sqlite", dsn: "postgres://x" }, "dsn");
      state.invalid({ backend: "filesystem", path: "x.db" }, "path");
      state.invalid({ dsn: "postgres://x" }, "dsn");
      state.invalid({ backend: "postgres", dsn: "a", connection_string: "b" }, "connection_string");
      state.invalid({ backend: "sqlite", lock_ttl: "ten minutes" }, "lock_ttl");
    });
  });

  describe("infra.container_service", () => {
    const service = check("infra.container_service");
    it("accepts CONFIG.md's example", () => {
      service.valid({
        provider: "local",
        protected: false,
        depends_on: ["app-db"],
        source_dir: "./app",
        build_command: "npm ci",
        run_command: "node server.js",
        http_port: 8080,
        instance_count: 2,
        env_vars: { DATABASE_URL: "${app-db.uri}", LOG_LEVEL: "info" },
        health_check: { http_path: "/healthz", period_seconds: 1, failure_threshold: 3 },
        termination: { drain_seconds: 5, grace_period_seconds: 10 },
        jobs: [{ name: "migrate", kind: "PRE_DEPLOY", run_command: "wfctl migrate up" }],
        workers: [{ name: "mailer", run_command: "node worker.js", instance_count: 1 }],
      });
      service.valid({ iac_provider: "local", run_command: "node server.js", tags: ["demo"] });
    });
    it("rejects typos, a missing provider, bad ports and sizes", () => {
      service.invalid({ provider: "local", run_comand: "node x" }, "run_comand");
      service.invalid({ run_command: "node x" });
      service.invalid({ provider: "local", http_port: 70000 }, "http_port");
      service.invalid({ provider: "local", size: "huge" }, "size");
      service.invalid({ provider: "local", depends_on: "app-db" }, "depends_on");
    });
  });

  describe("infra.database", () => {
    const database = check("infra.database");
    it("accepts both engines", () => {
      database.valid({ provider: "local", engine: "postgres" });
      database.valid({ provider: "local", engine: "sqlite", name: "app-data", tags: ["demo"] });
      database.valid({
        provider: "do-provider",
        engine: "postgres",
        version: "16",
        size: "s",
        depends_on: ["vpc"],
        protected: true,
        tags: { team: "payments" },
        database: "app",
        user: "app",
      });
      database.valid({ iac_provider: "local", engine: "postgres", version: 16 });
    });
    it("rejects a missing provider or engine, an unknown engine, unknown keys", () => {
      database.invalid({ engine: "postgres" });
      database.invalid({ provider: "local" }, "engine");
      database.invalid({ provider: "local", engine: "oracle" }, "engine");
      database.invalid({ provider: "local", engine: "sqlite", num_nodes: 1 }, "num_nodes");
      database.invalid({ provider: "local", engine: "sqlite", protected: "maybe" }, "protected");
      database.invalid({ provider: "local", engine: "sqlite", depends_on: [""] });
    });
  });

  it("infra.static_site needs output_dir", () => {
    const site = check("infra.static_site");
    site.valid({
      provider: "local",
      source_dir: "./web",
      build_command: "npm run build",
      output_dir: "dist",
      http_port: 8081,
      env_vars: { API_URL: "${api.url}" },
      depends_on: ["api"],
      tags: ["demo"],
      name: "web",
    });
    site.valid({ provider: "local", output_dir: "public", http_port: "${WEB_PORT}" });
    site.invalid({ provider: "local", build_command: "make" }, "output_dir");
    site.invalid({ provider: "local", output_dir: "d", http_port: 0 }, "http_port");
    site.invalid({ provider: "local", output_dir: "d", http_port: "eighty" }, "http_port");
    site.invalid({ provider: "local", output_dir: "d", ouput: "x" }, "ouput");
  });

  it("infra.* is open but types the common keys", () => {
    const other = check("infra.*");
    other.valid({ provider: "do-provider", cidr: "10.0.0.0/16", size: "m", depends_on: [] });
    other.valid({ iac_provider: "fake", anything: { nested: true } });
    other.invalid({ cidr: "10.0.0.0/16" });
    other.invalid({ provider: "p", depends_on: "vpc" }, "depends_on");
    other.invalid({ provider: "p", size: 2 }, "size");
    other.invalid({ provider: "p", protected: "yes" }, "protected");
    other.invalid({ provider: "p", tags: [1] });
    other.invalid({ provider: "p", name: "" }, "name");
  });
});
