import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { isProcessGroupAlive } from "../../../../src/providers/local/supervisor/process-group.js";
import { supervisorCommand } from "../../../../src/providers/local/supervisor/supervisor-entry.js";
import {
  type Answer,
  baseSpec,
  createHarness,
  type Harness,
  replicasOf,
  webGroup,
  workerGroup,
} from "./supervisor-harness.js";

let h: Harness;
afterEach(async () => {
  await h.cleanup();
});

describe("supervisor replicas", () => {
  it("starts every replica with its own PORT and INSTANCE_INDEX, logging to files", async () => {
    h = createHarness();
    h.start(baseSpec([webGroup({ instances: 3 }, h.dir)]));
    const s = await h.waitFor("3 healthy replicas", (st) => st.ready);
    const replicas = replicasOf(s);
    expect(replicas.map((r) => r.index).sort()).toEqual([0, 1, 2]);
    const ports = replicas.map((r) => r.port);
    expect(new Set(ports).size).toBe(3);
    for (const r of replicas) {
      const res = await fetch(`http://127.0.0.1:${r.port}/`);
      expect(await res.json()).toMatchObject({ index: r.index, port: r.port, gen: "1" });
    }
    // The spec's env plus PATH-like basics; nothing else of the caller's environment.
    const { env } = (await (await fetch(`http://127.0.0.1:${ports[0]}/`)).json()) as Answer;
    expect(env).toContain("PATH");
    expect(
      env.filter(
        (k) => !["PATH", "LANG", "LC_ALL", "TZ", "TMPDIR", "PWD", "SHLVL", "_"].includes(k),
      ),
    ).toEqual(["GEN", "INSTANCE_INDEX", "PORT"]);
    expect(Number(readFileSync(join(h.dir, "supervisor.pid"), "utf8"))).toBe(h.child?.pid);
    expect(statSync(join(h.dir, "logs")).mode & 0o777).toBe(0o700);
    expect(statSync(join(h.dir, "logs", "web-0.log")).mode & 0o777).toBe(0o600);
  });

  it("refuses to start a second supervisor for the same resource", async () => {
    h = createHarness();
    h.start(baseSpec([workerGroup(h.dir)]));
    await h.waitFor("ready", (st) => st.ready);
    const { command, args } = supervisorCommand();
    const second = spawnSync(command, [...args, h.dir], { encoding: "utf8", timeout: 10_000 });
    expect(second.status).toBe(1);
    expect(second.stderr).toContain(`another supervisor (pid ${h.child!.pid}) already runs`);
    expect(Number(readFileSync(join(h.dir, "supervisor.pid"), "utf8"))).toBe(h.child!.pid);
  });

  it("rewrites status.json at least every second", async () => {
    h = createHarness();
    h.start(baseSpec([workerGroup(h.dir)]));
    const first = await h.waitFor("ready", (st) => st.ready);
    const later = await h.waitFor("a heartbeat", (st) => st.updated_at !== first.updated_at, 2_500);
    expect(Date.parse(later.updated_at)).toBeGreaterThan(Date.parse(first.updated_at));
    expect(later.pid).toBe(h.child!.pid);
  });

  it("restarts a killed replica and records the exit", async () => {
    h = createHarness();
    h.start(baseSpec([webGroup({ instances: 1 }, h.dir)]));
    const before = replicasOf(await h.waitFor("ready", (st) => st.ready))[0]!;
    const killedAt = Date.now();
    process.kill(before.pid!, "SIGKILL");
    const after = await h.waitFor("restarted", (st) => {
      const r = replicasOf(st)[0];
      return r?.state === "healthy" && r.pid !== before.pid;
    });
    const r = replicasOf(after)[0]!;
    const res = await fetch(`http://127.0.0.1:${r.port}/`);
    expect(res.status).toBe(200);
    console.log(`killed replica serving again after ${Date.now() - killedAt} ms`);
    expect(r.restarts).toBe(1);
    expect(r.last_exit?.signal).toBe("SIGKILL");
  });

  it("restarts a replica whose liveness probe fails", async () => {
    h = createHarness();
    const probe = {
      http_path: "/livez",
      initial_delay_ms: 100,
      period_ms: 100,
      timeout_ms: 500,
      success_threshold: 1,
      failure_threshold: 2,
    };
    const group = webGroup({ instances: 1, liveness: probe }, h.dir);
    h.start(baseSpec([{ ...group, env: { ...group.env, LIVE_FAIL_AFTER_MS: "500" } }]));
    const s = await h.waitFor(
      "a liveness restart",
      (st) => (replicasOf(st)[0]?.restarts ?? 0) >= 1,
    );
    expect(replicasOf(s)[0]!.last_exit?.signal).toBe("SIGKILL");
  });

  it("runs a worker group without a port and restarts it", async () => {
    h = createHarness();
    h.start(baseSpec([workerGroup(h.dir)]));
    const s = await h.waitFor("worker healthy", (st) => st.ready);
    const worker = replicasOf(s, "mailer")[0]!;
    expect(worker.port).toBeUndefined();
    process.kill(worker.pid!, "SIGKILL");
    const after = await h.waitFor("worker restarted", (st) => {
      const r = replicasOf(st, "mailer")[0];
      return r?.state === "healthy" && r.pid !== undefined && r.pid !== worker.pid;
    });
    expect(replicasOf(after, "mailer")[0]!.restarts).toBe(1);
  });

  it("stops everything on SIGTERM and exits 0", async () => {
    h = createHarness();
    h.start(baseSpec([webGroup({}, h.dir), workerGroup(h.dir)]));
    const s = await h.waitFor("ready", (st) => st.ready);
    const pids = s.groups.flatMap((g) => g.replicas.map((r) => r.pid!));
    expect(pids).toHaveLength(3);
    h.child!.kill("SIGTERM");
    expect(await h.exited()).toBe(0);
    for (const pid of pids) expect(isProcessGroupAlive(pid)).toBe(false);
    expect(existsSync(join(h.dir, "supervisor.pid"))).toBe(false);
    const final = h.status()!;
    expect(final.groups.flatMap((g) => g.replicas.map((r) => r.state))).toEqual([
      "stopped",
      "stopped",
      "stopped",
    ]);
    expect(final.ready).toBe(false);
  });

  it("survives a replica that cannot start, retrying with backoff", async () => {
    h = createHarness();
    h.start(baseSpec([webGroup({ instances: 1, cwd: `${h.dir}/missing` }, h.dir)]));
    const s = await h.waitFor("retries", (st) => (replicasOf(st)[0]?.restarts ?? 0) >= 2);
    expect(replicasOf(s)[0]!.state).not.toBe("healthy");
    expect(s.ready).toBe(false);
    expect(h.child!.exitCode).toBeNull();
  });
});
