import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WfError } from "../../../src/diagnostics/index.js";
import { redactDsn } from "../../../src/diagnostics/redact-dsn.js";
import {
  DEFAULT_LOCK_TTL_MS,
  openStateStore,
  resolveStateConfig,
} from "../../../src/iac/state/open-state-store.js";
import { alice, resourceState } from "./store-fixtures.js";

describe("resolveStateConfig", () => {
  const dir = "/srv/app";

  it("defaults to filesystem state in .wfctl/state next to the config", () => {
    for (const config of [undefined, {}, { backend: "filesystem" }]) {
      expect(resolveStateConfig(config, dir)).toEqual({
        backend: "filesystem",
        directory: "/srv/app/.wfctl/state",
        lockTtlMs: DEFAULT_LOCK_TTL_MS,
      });
    }
  });

  it("resolves relative paths against the config folder and keeps absolute ones", () => {
    expect(resolveStateConfig({ directory: "state" }, dir)).toMatchObject({
      directory: "/srv/app/state",
    });
    expect(resolveStateConfig({ backend: "sqlite" }, dir)).toMatchObject({
      path: "/srv/app/.wfctl/state.db",
    });
    expect(resolveStateConfig({ backend: "sqlite", path: "/var/lib/s.db" }, dir)).toMatchObject({
      path: "/var/lib/s.db",
    });
  });

  it("takes the postgres dsn from dsn or connection_string, with schema and prefix", () => {
    expect(
      resolveStateConfig(
        { backend: "postgres", dsn: "postgres://h/db", schema: "ops", table_prefix: "t_" },
        dir,
      ),
    ).toEqual({
      backend: "postgres",
      dsn: "postgres://h/db",
      schema: "ops",
      tablePrefix: "t_",
      lockTtlMs: DEFAULT_LOCK_TTL_MS,
    });
    expect(
      resolveStateConfig({ backend: "postgres", connection_string: "postgres://h/db" }, dir),
    ).toMatchObject({ dsn: "postgres://h/db" });
  });

  it("reads lock_ttl as a duration", () => {
    expect(resolveStateConfig({ lock_ttl: "10m" }, dir).lockTtlMs).toBe(600_000);
  });

  it.each([
    [{ backend: "s3" }, /unknown backend "s3"/],
    [{ backend: "postgres" }, /needs `dsn`/],
    [{ lock_ttl: "soon" }, /lock_ttl "soon" is not a positive duration/],
    [{ directory: 42 }, /`directory` must be a non-empty string/],
  ])("refuses %j", (config, message) => {
    let err: unknown;
    try {
      resolveStateConfig(config, dir);
    } catch (e) {
      err = e;
    }
    expect(WfError.is(err) && err.code).toBe("WF_ERR_CONFIG_SCHEMA");
    expect((err as Error).message).toMatch(message);
  });
});

describe("openStateStore", () => {
  let configDir: string;
  beforeEach(() => {
    configDir = mkdtempSync(path.join(tmpdir(), "wfctl-open-state-"));
  });
  afterEach(() => {
    rmSync(configDir, { recursive: true, force: true });
  });

  it("opens filesystem state next to the config when there is no iac.state module", async () => {
    const store = await openStateStore(undefined, { configDir, identity: alice });
    expect(store.backend).toBe("filesystem");
    expect(store.location).toBe(path.join(configDir, ".wfctl", "state"));
    await store.saveResource(resourceState("db"));
    expect(existsSync(path.join(configDir, ".wfctl", "state", "journal.jsonl"))).toBe(true);
    await store.close();
  });

  it("opens sqlite state at the configured path", async () => {
    const store = await openStateStore(
      { backend: "sqlite", path: "s/state.db" },
      {
        configDir,
        identity: alice,
      },
    );
    expect(store.backend).toBe("sqlite");
    expect(store.location).toBe(path.join(configDir, "s", "state.db"));
    await store.close();
  });

  it("names a postgres state it cannot open without its password", async () => {
    const err = await openStateStore(
      { backend: "postgres", dsn: "postgresql://app:hunter2@127.0.0.1:1/state" },
      { configDir, identity: alice },
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(WfError.is(err) && err.code).toBe("WF_ERR_STATE");
    expect((err as Error).message).toContain("postgresql://app:***@127.0.0.1:1/state");
    expect((err as Error).message).not.toContain("hunter2");
  });
});

describe("redactDsn", () => {
  it.each([
    ["postgres://app:hunter2@db.internal:5432/state", "postgres://app:***@db.internal:5432/state"],
    [
      "postgresql://app:p%40ss@db/state?sslmode=require",
      "postgresql://app:***@db/state?sslmode=require",
    ],
    ["postgres://db/state?user=app&password=hunter2", "postgres://db/state?user=app&password=***"],
    ["postgres://app@db/state", "postgres://app@db/state"],
    [
      "host=db user=app password=hunter2 dbname=state",
      "host=db user=app password=*** dbname=state",
    ],
    ["host=db password='hun ter2' dbname=state", "host=db password=*** dbname=state"],
    ["postgres://app:hun ter@2@db/state", "postgres://app:***@db/state"],
  ])("%s", (dsn, redacted) => {
    expect(redactDsn(dsn)).toBe(redacted);
    expect(redactDsn(dsn)).not.toMatch(/hunter2|hun ter|p%40ss/);
  });
});
