import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isProcessGroupAlive } from "../../../../src/providers/local/supervisor/process-group.js";
import { supervisorCommand } from "../../../../src/providers/local/supervisor/supervisor-entry.js";
import type {
  ProcessGroupSpec,
  SupervisorSpec,
  SupervisorStatus,
} from "../../../../src/providers/local/supervisor/supervisor-protocol.js";

/** A replica: listens after STARTUP_DELAY_MS, answers {path, index, gen, pid}, /healthz per HEALTH (or HEALTH_FAIL_INDEX), /livez fails after LIVE_FAIL_AFTER_MS, /slow?ms=N. */
const APP = `
import http from "node:http";
const started = Date.now();
const server = http.createServer((req, res) => {
  const url = new URL(req.url, "http://x");
  if (url.pathname === "/healthz") {
    const failing = process.env.HEALTH === "fail" || process.env.HEALTH_FAIL_INDEX === process.env.INSTANCE_INDEX;
    res.writeHead(failing ? 503 : 200); res.end(); return;
  }
  if (url.pathname === "/livez") {
    const after = Number(process.env.LIVE_FAIL_AFTER_MS ?? "0");
    res.writeHead(after > 0 && Date.now() - started > after ? 500 : 200); res.end(); return;
  }
  const body = JSON.stringify({ path: req.url, index: Number(process.env.INSTANCE_INDEX), port: Number(process.env.PORT), gen: process.env.GEN, pid: process.pid, env: Object.keys(process.env).sort() });
  const delay = Number(url.searchParams.get("ms") ?? "0");
  setTimeout(() => { res.writeHead(200, { "content-type": "application/json" }); res.end(body); }, delay);
});
setTimeout(() => server.listen(Number(process.env.PORT), "127.0.0.1"), Number(process.env.STARTUP_DELAY_MS ?? "0"));
process.on("SIGTERM", () => { server.close(() => process.exit(0)); server.closeIdleConnections(); });
`;

const WORKER = `
setInterval(() => {}, 1000);
process.on("SIGTERM", () => process.exit(0));
`;

export interface Harness {
  readonly dir: string;
  child: ChildProcess | undefined;
  write(spec: SupervisorSpec): void;
  start(spec: SupervisorSpec): void;
  status(): SupervisorStatus | undefined;
  waitFor(
    what: string,
    check: (s: SupervisorStatus) => boolean,
    timeoutMs?: number,
  ): Promise<SupervisorStatus>;
  exited(): Promise<number | null>;
  cleanup(): Promise<void>;
}

export function webGroup(overrides: Partial<ProcessGroupSpec> = {}, dir = "."): ProcessGroupSpec {
  return {
    name: "web",
    command: "node app.mjs",
    cwd: dir,
    // No PATH: the supervisor passes its own, so `node` is found.
    env: { GEN: "1" },
    instances: 2,
    port: true,
    ...overrides,
  };
}

export function workerGroup(dir: string): ProcessGroupSpec {
  return {
    name: "mailer",
    command: "node worker.mjs",
    cwd: dir,
    env: {},
    instances: 1,
    port: false,
  };
}

export function baseSpec(
  groups: ProcessGroupSpec[],
  extra: Partial<SupervisorSpec> = {},
): SupervisorSpec {
  return {
    version: 1,
    resource: "api",
    type: "infra.container_service",
    generation: 1,
    groups,
    termination: { drain_ms: 2_000, grace_ms: 2_000 },
    restart: { initial_ms: 100, max_ms: 2_000 },
    ...extra,
  };
}

export function createHarness(): Harness {
  const dir = mkdtempSync(join(tmpdir(), "wfctl-supervisor-"));
  writeFileSync(join(dir, "app.mjs"), APP);
  writeFileSync(join(dir, "worker.mjs"), WORKER);
  const seenPids = new Set<number>();
  const h: Harness = {
    dir,
    child: undefined,
    write(spec) {
      writeFileSync(join(dir, "spec.json"), JSON.stringify(spec));
    },
    start(spec) {
      h.write(spec);
      const { command, args } = supervisorCommand();
      // Another working directory than the package's: the command must not depend on it.
      h.child = spawn(command, [...args, dir], {
        cwd: dir,
        stdio: ["ignore", "ignore", "inherit"],
      });
    },
    status() {
      try {
        const s = JSON.parse(readFileSync(join(dir, "status.json"), "utf8")) as SupervisorStatus;
        for (const g of s.groups) for (const r of g.replicas) if (r.pid) seenPids.add(r.pid);
        return s;
      } catch {
        return undefined;
      }
    },
    async waitFor(what, check, timeoutMs = 15_000) {
      const until = Date.now() + timeoutMs;
      let last: SupervisorStatus | undefined;
      while (Date.now() < until) {
        last = h.status();
        if (last && check(last)) return last;
        await sleep(20);
      }
      throw new Error(`timed out waiting for ${what}; last status: ${JSON.stringify(last)}`);
    },
    exited() {
      const child = h.child;
      if (!child || child.exitCode !== null || child.signalCode !== null) {
        return Promise.resolve(child?.exitCode ?? null);
      }
      return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
    },
    async cleanup() {
      h.status();
      const child = h.child;
      let problem: string | undefined;
      if (child && child.exitCode === null && child.signalCode === null) {
        // Stop it the way the provider does; it must leave nothing behind.
        child.kill("SIGTERM");
        const code = await Promise.race([h.exited(), sleep(10_000).then(() => "timeout")]);
        if (code !== 0) {
          problem = `supervisor did not stop cleanly (${String(code)})`;
          child.kill("SIGKILL");
          await h.exited();
        }
      }
      // Orphans the supervisor signalled may take a moment to be reaped.
      let leaked = [...seenPids].filter((pid) => isProcessGroupAlive(pid));
      for (let i = 0; i < 50 && leaked.length > 0; i++) {
        await sleep(20);
        leaked = leaked.filter((pid) => isProcessGroupAlive(pid));
      }
      for (const pid of seenPids) {
        try {
          process.kill(-pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
      rmSync(dir, { recursive: true, force: true });
      if (problem) throw new Error(problem);
      if (leaked.length > 0) throw new Error(`replica processes leaked: ${leaked.join(", ")}`);
    },
  };
  return h;
}

export function replicasOf(s: SupervisorStatus, group = "web") {
  return s.groups.find((g) => g.name === group)?.replicas ?? [];
}

export interface Answer {
  /** The path the replica was asked for. */
  path: string;
  index: number;
  port: number;
  gen: string;
  pid: number;
  /** The names of the replica's environment variables. */
  env: string[];
}

export async function get(port: number, path = "/"): Promise<Answer> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  if (res.status !== 200) throw new Error(`status ${res.status}: ${await res.text()}`);
  return (await res.json()) as Answer;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** ~100 requests per second against the balancer until stopped; counts failures. */
export function clientLoop(port: number) {
  let running = true;
  const failures: string[] = [];
  const gens = new Map<string, number>();
  let sent = 0;
  const done = (async () => {
    const pending: Promise<void>[] = [];
    while (running) {
      sent += 1;
      // Every third request takes a while, so some are in flight when a replica drains.
      pending.push(
        get(port, sent % 3 === 0 ? "/slow?ms=40" : "/")
          .then((a) => {
            gens.set(a.gen, (gens.get(a.gen) ?? 0) + 1);
          })
          .catch((e: Error) => {
            failures.push(e.message);
          }),
      );
      await sleep(10);
    }
    await Promise.all(pending);
  })();
  return {
    failures,
    gens,
    sent: () => sent,
    stop: async () => {
      running = false;
      await done;
    },
  };
}
