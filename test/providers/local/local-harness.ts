import { readFileSync } from "node:fs";
import path from "node:path";
import type { ResourceSpec } from "../../../src/contracts/index.js";
import { LocalProvider } from "../../../src/providers/local/index.js";
import type { SupervisorStatus } from "../../../src/providers/local/supervisor/supervisor-protocol.js";
import { isAlive } from "../../../src/providers/local/supervisor-client.js";
import { tempProject } from "./local-fixtures.js";

/**
 * A local provider over a temporary project, and clean-up that deletes every
 * resource it made and reports any process that outlived its resource.
 */
export async function localHarness(config: Record<string, unknown> = {}) {
  const project = tempProject();
  const provider = new LocalProvider();
  await provider.initialize({ _config_dir: project.dir, ...config });
  const pids = new Set<number>();

  const statusOf = (type: string, name: string): SupervisorStatus | undefined => {
    try {
      const dir = provider.workdir().dir(type, name);
      return JSON.parse(readFileSync(path.join(dir, "status.json"), "utf8")) as SupervisorStatus;
    } catch {
      return undefined;
    }
  };

  /** Remembers the supervisor and replica pids of a resource, for the leak check. */
  const track = (type: string, name: string): void => {
    const status = statusOf(type, name);
    if (!status) return;
    pids.add(status.pid);
    for (const g of status.groups) for (const r of g.replicas) if (r.pid) pids.add(r.pid);
  };

  const spec = (type: string, name: string, config: Record<string, unknown>): ResourceSpec => ({
    name,
    type,
    config,
  });

  /** Deletes everything, then returns the pids still alive (should be none). */
  const cleanup = async (): Promise<number[]> => {
    for (const record of await provider.workdir().records()) {
      track(record.type, record.name);
      await provider
        .resourceDriver(record.type)
        .delete({ name: record.name, type: record.type, provider_id: record.id })
        .catch(() => undefined);
    }
    const leaked = [...pids].filter(isAlive);
    for (const pid of leaked) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // gone meanwhile
      }
    }
    project.dispose();
    return leaked;
  };

  return { project, provider, spec, statusOf, track, cleanup };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns true or `timeoutMs` passes. */
export async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(100);
  }
  return false;
}

export async function get(url: string): Promise<string | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return await res.text();
  } catch {
    return undefined;
  }
}
