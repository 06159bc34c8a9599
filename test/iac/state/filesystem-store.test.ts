import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WfError } from "../../../src/diagnostics/index.js";
import { openFilesystemStore } from "../../../src/iac/state/filesystem/index.js";
import { STATE_LOCK, type StateStore } from "../../../src/iac/state/state-store.js";
import { alice, resourceState, testStateStore } from "./store-suite.js";

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), "wfctl-fs-state-"));
}

testStateStore("filesystem", async () => {
  const root = tempDir();
  const directory = path.join(root, "state");
  return {
    open: (identity) => openFilesystemStore({ directory, identity }),
    async writeNewerFormat() {
      writeFileSync(path.join(directory, "wfctl-state.json"), '{"version":2}\n');
    },
    async dispose() {
      rmSync(root, { recursive: true, force: true });
    },
  };
});

describe("filesystem state files", () => {
  let root: string;
  let directory: string;
  let store: StateStore;

  beforeEach(async () => {
    root = tempDir();
    directory = path.join(root, ".wfctl", "state");
    store = await openFilesystemStore({ directory, identity: alice });
  });
  afterEach(async () => {
    await store.close();
    rmSync(root, { recursive: true, force: true });
  });

  const mode = (p: string) => statSync(p).mode & 0o777;

  it("creates nothing until the first write", async () => {
    expect(await store.listResources()).toEqual([]);
    expect(await store.getResource("db")).toBeUndefined();
    expect(readdirSync(root)).toEqual([]);
  });

  it("keeps state private: folders 0700, files 0600", async () => {
    await store.saveResource(resourceState("db"));
    await store.savePlan({ id: "p1", actions: [], created_at: "2024-01-01T00:00:00Z" });
    await store.saveIntent({
      name: "db",
      type: "infra.database",
      provider: "local",
      action: "create",
      spec: { name: "db", type: "infra.database", config: {} },
      recorded_at: "2024-01-01T00:00:00Z",
    });
    const lock = await store.lock(STATE_LOCK, 60_000);
    for (const dir of ["", "resources", "plans", "intents", "locks"]) {
      expect(mode(path.join(directory, dir)), dir).toBe(0o700);
    }
    for (const file of [
      "resources/db.json",
      "plans/p1.json",
      "intents/db.json",
      "locks/state.lock",
      "wfctl-state.json",
    ]) {
      expect(mode(path.join(directory, file)), file).toBe(0o600);
    }
    await lock.unlock();
  });

  it("writes versioned records, one file per resource, none outside the state folder", async () => {
    await store.saveResource(resourceState("../../escape"));
    await store.saveResource(resourceState("db"));
    expect(readdirSync(root)).toEqual([".wfctl"]);
    expect(readdirSync(path.join(directory, "resources")).sort()).toEqual([
      "%2E.%2F..%2Fescape.json",
      "db.json",
    ]);
    const record = JSON.parse(readFileSync(path.join(directory, "resources/db.json"), "utf8"));
    expect(record).toEqual({ version: 1, resource: expect.objectContaining({ name: "db" }) });
  });

  it("ignores temporary files left by a crash mid-write", async () => {
    await store.saveResource(resourceState("db"));
    writeFileSync(path.join(directory, "resources", ".db.json.0123abcd.tmp"), "{partial");
    expect((await store.listResources()).map((r) => r.name)).toEqual(["db"]);
  });

  it("refuses a record of a newer format, and will not overwrite it", async () => {
    await store.saveResource(resourceState("db"));
    const file = path.join(directory, "resources", "db.json");
    const newer = JSON.stringify({ version: 3, resource: { name: "db", shape: "new" } });
    writeFileSync(file, newer);
    for (const attempt of [
      () => store.getResource("db"),
      () => store.listResources(),
      () => store.saveResource(resourceState("db")),
    ]) {
      const err = await attempt().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(WfError.is(err) && err.code).toBe("WF_ERR_STATE_VERSION");
      expect((err as Error).message).toContain(file);
      expect((err as Error).message).toContain("format version 3");
    }
    expect(readFileSync(file, "utf8")).toBe(newer);
  });

  it("names the file of an unreadable record", async () => {
    await store.saveResource(resourceState("db"));
    const file = path.join(directory, "resources", "db.json");
    writeFileSync(file, "{not json");
    const err = await store.getResource("db").then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(WfError.is(err) && err.code).toBe("WF_ERR_STATE");
    expect((err as Error).message).toContain(file);
  });
});
