// 10,000 creates saved one per action, each durable before the next starts (target for
// the filesystem store: under 15 s); the same with apply's write-ahead intent per
// create (intent saved, resource saved, intent cleared in the background); a listing
// of them all; and the latency of a lock acquire + release. Filesystem and SQLite.
import { mkdtempSync, rmSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import type { ResourceState } from "../src/contracts/index.js";
import { openFilesystemStore } from "../src/iac/state/filesystem/index.js";
import { openSqliteStore } from "../src/iac/state/sqlite/index.js";
import { type LockIdentity, STATE_LOCK, type StateStore } from "../src/iac/state/state-store.js";
import { report, time } from "./stats.js";

const CREATES = 10_000;
const identity: LockIdentity = {
  user: "bench",
  host: hostname(),
  pid: process.pid,
  command: "bench",
};

function created(i: number): ResourceState {
  const name = `service-${String(i).padStart(5, "0")}`;
  const now = new Date().toISOString();
  return {
    id: name,
    name,
    type: "infra.container_service",
    provider: "local",
    provider_id: `local-${i}`,
    config_hash: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    applied_config: {
      image: "app:1.2.3",
      instance_count: 2,
      http_port: 8080,
      env_vars: { LOG_LEVEL: "info" },
    },
    applied_config_source: "apply",
    outputs: { url: `http://127.0.0.1:${10_000 + i}`, pids: [1000 + i, 2000 + i] },
    dependencies: i === 0 ? [] : [`service-${String(i - 1).padStart(5, "0")}`],
    created_at: now,
    updated_at: now,
  };
}

async function bench(label: string, open: (dir: string) => Promise<StateStore>): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), "wfctl-bench-state-"));
  try {
    const store = await open(dir);
    const start = performance.now();
    for (let i = 0; i < CREATES; i++) await store.saveResource(created(i));
    const totalMs = performance.now() - start;
    console.log(
      `${`${label}: ${CREATES} durable creates`.padEnd(48)} total ${(totalMs / 1000).toFixed(2)} s  per op ${(totalMs / CREATES).toFixed(3)} ms`,
    );
    const withIntents = performance.now();
    const clearing: Promise<void>[] = [];
    for (let i = 0; i < CREATES; i++) {
      const resource = created(CREATES + i);
      await store.saveIntent({
        name: resource.name,
        type: resource.type,
        provider: resource.provider,
        action: "create",
        spec: { name: resource.name, type: resource.type, config: resource.applied_config },
        recorded_at: resource.created_at,
      });
      await store.saveResource(resource);
      clearing.push(store.deleteIntent(resource.name));
    }
    await Promise.all(clearing);
    const intentsMs = performance.now() - withIntents;
    console.log(
      `${`${label}: ${CREATES} creates with intents`.padEnd(48)} total ${(intentsMs / 1000).toFixed(2)} s  per create ${(intentsMs / CREATES).toFixed(3)} ms`,
    );
    const listStart = performance.now();
    const listed = await store.listResources();
    console.log(
      `${`${label}: list ${listed.length} resources`.padEnd(48)} ${(performance.now() - listStart).toFixed(0)} ms`,
    );
    report(
      `${label}: lock acquire + release`,
      await time(200, async () => (await store.lock(STATE_LOCK, 60_000)).unlock()),
    );
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await bench("filesystem", (dir) => openFilesystemStore({ directory: dir, identity }));
await bench("sqlite", (dir) => openSqliteStore({ path: path.join(dir, "state.db"), identity }));
