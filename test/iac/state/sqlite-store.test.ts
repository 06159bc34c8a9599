import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { openSqliteStore } from "../../../src/iac/state/sqlite/index.js";
import { alice, resourceState } from "./store-fixtures.js";
import { testStateStore } from "./store-suite.js";

function setVersion(file: string, version: number): void {
  const db = new Database(file);
  db.prepare("UPDATE wfctl_state_schema SET version = ?").run(version);
  db.close();
}

testStateStore("sqlite", async () => {
  const root = mkdtempSync(path.join(tmpdir(), "wfctl-sqlite-state-"));
  const file = path.join(root, "state.db");
  return {
    open: (identity) => openSqliteStore({ path: file, identity }),
    async writeNewerFormat() {
      setVersion(file, 2);
    },
    async dispose() {
      rmSync(root, { recursive: true, force: true });
    },
  };
});

describe("sqlite state file", () => {
  it("is private (0600, WAL files too) in a folder it creates 0700", async () => {
    const root = mkdtempSync(path.join(tmpdir(), "wfctl-sqlite-state-"));
    try {
      const file = path.join(root, ".wfctl", "state.db");
      const store = await openSqliteStore({ path: file, identity: alice });
      await store.saveResource(resourceState("db"));
      const mode = (p: string) => statSync(p).mode & 0o777;
      expect(mode(path.dirname(file))).toBe(0o700);
      for (const f of [file, `${file}-wal`, `${file}-shm`]) expect(mode(f), f).toBe(0o600);
      const db = new Database(file, { readonly: true });
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
      db.close();
      await store.close();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
