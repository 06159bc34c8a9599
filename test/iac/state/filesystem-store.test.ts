import { spawn } from "node:child_process";
import {
  appendFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WfError } from "../../../src/diagnostics/index.js";
import { openFilesystemStore } from "../../../src/iac/state/filesystem/index.js";
import { STATE_LOCK, type StateStore } from "../../../src/iac/state/state-store.js";
import { alice, resourceState } from "./store-fixtures.js";
import { testStateStore } from "./store-suite.js";

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
    const lock = await store.lock(STATE_LOCK, 60_000);
    for (const dir of ["", "plans", "locks"]) {
      expect(mode(path.join(directory, dir)), dir).toBe(0o700);
    }
    for (const file of ["journal.jsonl", "plans/p1.json", "locks/state.lock", "wfctl-state.json"]) {
      expect(mode(path.join(directory, file)), file).toBe(0o600);
    }
    expect(readdirSync(root)).toEqual([".wfctl"]);
    await lock.unlock();
  });

  it("writes versioned journal lines, names verbatim", async () => {
    await store.saveResource(resourceState("../../escape"));
    await store.deleteResource("../../escape");
    const lines = journalLines();
    expect(lines).toEqual([
      { version: 1, resource: expect.objectContaining({ name: "../../escape" }) },
      { version: 1, deleted: { kind: "resource", name: "../../escape" } },
    ]);
  });

  it("skips a line torn by a crash and keeps appending after it", async () => {
    await store.saveResource(resourceState("db"));
    appendFileSync(journal(), '\n{"version":1,"resource":{"name":"half-writ');
    await store.saveResource(resourceState("api"));
    const again = await openFilesystemStore({ directory, identity: alice });
    expect((await again.listResources()).map((r) => r.name)).toEqual(["api", "db"]);
    await again.close();
  });

  it("compacts a journal of superseded lines, and other stores follow it", async () => {
    const other = await openFilesystemStore({ directory, identity: alice });
    const big = { blob: "x".repeat(10_000) };
    await other.saveResource(resourceState("keep"));
    for (let i = 0; i < 150; i++) {
      await store.saveResource(resourceState("churn", { outputs: { ...big, i } }));
    }
    // 150 lines of ~10 KB were appended; without compaction the journal would hold them all.
    expect(statSync(journal()).size).toBeLessThan(1_000_000);
    await other.saveResource(resourceState("after"));
    expect((await other.getResource("churn"))?.outputs.i).toBe(149);
    expect((await store.listResources()).map((r) => r.name)).toEqual(["after", "churn", "keep"]);
    await other.close();
  });

  it("refuses a record of a newer format, and will not write past it", async () => {
    await store.saveResource(resourceState("db"));
    appendFileSync(journal(), `\n${JSON.stringify({ version: 3, resource: { name: "db" } })}\n`);
    const before = readFileSync(journal(), "utf8");
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
      expect((err as Error).message).toContain(journal());
      expect((err as Error).message).toContain("format version 3");
    }
    expect(readFileSync(journal(), "utf8")).toBe(before);
  });

  it("names the file of an unreadable record without printing it", async () => {
    await store.saveResource(resourceState("db"));
    appendFileSync(journal(), '\n{"version":1,"secret_thing":"hunter2"}\n');
    const err = await store.getResource("db").then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(WfError.is(err) && err.code).toBe("WF_ERR_STATE");
    expect((err as Error).message).toContain(journal());
    expect((err as Error).message).not.toContain("hunter2");
  });

  it("loses no write when several processes append and compact at once", async () => {
    const writer = fileURLToPath(new URL("./concurrent-writer.ts", import.meta.url));
    const writers = ["p1", "p2", "p3", "p4"].map(
      (prefix) =>
        new Promise<number | null>((resolve, reject) => {
          const child = spawn(
            process.execPath,
            ["--import", "tsx", writer, directory, prefix, "40"],
            { stdio: ["ignore", "ignore", "inherit"] },
          );
          child.once("error", reject);
          child.once("exit", resolve);
        }),
    );
    expect(await Promise.all(writers)).toEqual([0, 0, 0, 0]);
    const names = (await store.listResources()).map((r) => r.name);
    expect(names).toHaveLength(161);
    for (const prefix of ["p1", "p2", "p3", "p4"]) {
      for (let i = 0; i < 40; i++) expect(names).toContain(`${prefix}-${i}`);
    }
    // Some compaction ran: 320 appends of ~1–10 KB would otherwise be ~1.8 MB.
    expect(statSync(journal()).size).toBeLessThan(1_500_000);
  }, 60_000);

  function journal(): string {
    return path.join(directory, "journal.jsonl");
  }

  function journalLines(): unknown[] {
    return readFileSync(journal(), "utf8")
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => JSON.parse(l));
  }
});
