import { afterEach, describe, expect, it } from "vitest";
import { freePort } from "../../../../src/providers/local/supervisor/free-port.js";
import type {
  ProbeSpec,
  SupervisorSpec,
} from "../../../../src/providers/local/supervisor/supervisor-protocol.js";
import {
  baseSpec,
  clientLoop,
  createHarness,
  get,
  type Harness,
  replicasOf,
  sleep,
  webGroup,
  workerGroup,
} from "./supervisor-harness.js";

const health: ProbeSpec = {
  http_path: "/healthz",
  initial_delay_ms: 0,
  period_ms: 100,
  timeout_ms: 500,
  success_threshold: 1,
  failure_threshold: 2,
};

let h: Harness;
afterEach(async () => {
  await h.cleanup();
});

function generation(
  spec: SupervisorSpec,
  gen: number,
  env: Record<string, string>,
): SupervisorSpec {
  return {
    ...spec,
    generation: gen,
    groups: spec.groups.map((g) => (g.name === "web" ? { ...g, env: { ...g.env, ...env } } : g)),
  };
}

describe("supervisor rolling update", () => {
  it("rolls every replica to a new generation on SIGHUP with zero failed requests", async () => {
    h = createHarness();
    const port = await freePort();
    const spec = baseSpec([webGroup({ health, instances: 3 }, h.dir)], {
      balancer: { host: "127.0.0.1", port, strategy: "round_robin", group: "web" },
    });
    h.start(spec);
    await h.waitFor("ready", (s) => s.ready);
    const client = clientLoop(port);
    await sleep(300);
    const oldPids = replicasOf(h.status()!).map((r) => r.pid);
    h.write(generation(spec, 2, { GEN: "2" }));
    const rollStart = Date.now();
    h.child!.kill("SIGHUP");
    const s = await h.waitFor(
      "generation 2 ready",
      (st) => st.generation === 2 && st.ready && replicasOf(st).length === 3,
    );
    const rollMs = Date.now() - rollStart;
    await sleep(300);
    await client.stop();
    console.log(
      `rolled 3 replicas in ${rollMs} ms; ${client.sent()} requests, ${client.failures.length} failed`,
    );
    expect(client.failures).toEqual([]);
    expect(client.sent()).toBeGreaterThan(50);
    expect(client.gens.get("2")).toBeGreaterThan(0);
    expect(replicasOf(s).every((r) => r.generation === 2 && !oldPids.includes(r.pid))).toBe(true);
    for (let i = 0; i < 6; i++) expect((await get(port)).gen).toBe("2");
  });

  it("without a readiness probe, puts a balanced replica in rotation only once its port accepts connections", async () => {
    h = createHarness();
    const port = await freePort();
    const spec = baseSpec([webGroup({ instances: 2 }, h.dir)], {
      balancer: { host: "127.0.0.1", port, strategy: "round_robin", group: "web" },
    });
    h.start(spec);
    await h.waitFor("ready", (s) => s.ready);
    const client = clientLoop(port);
    // Up for 200 ms counts as healthy, but this version listens only after 600 ms.
    h.write(generation(spec, 2, { GEN: "2", STARTUP_DELAY_MS: "600" }));
    h.child!.kill("SIGHUP");
    await h.waitFor("generation 2 ready", (st) => st.generation === 2 && st.ready);
    await sleep(800);
    await client.stop();
    expect(client.failures).toEqual([]);
    expect(client.gens.get("2")).toBeGreaterThan(0);
  });

  it("abandons a roll whose new replica never becomes ready; the old one keeps serving", async () => {
    h = createHarness();
    const port = await freePort();
    const spec = baseSpec([webGroup({ health }, h.dir)], {
      balancer: { host: "127.0.0.1", port, strategy: "round_robin", group: "web" },
      ready_timeout_ms: 1_000,
    });
    h.start(spec);
    await h.waitFor("ready", (s) => s.ready);
    h.write(generation(spec, 2, { GEN: "2", HEALTH: "fail" }));
    h.child!.kill("SIGHUP");
    const s = await h.waitFor("abandoned", (st) => st.error?.includes("abandoned") === true);
    expect(s.error).toMatch(
      /rolling update to generation 2 abandoned: replica web-0 did not become ready/,
    );
    expect(s.ready).toBe(false);
    const settled = await h.waitFor("new replica gone", (st) => replicasOf(st).length === 2);
    expect(replicasOf(settled).map((r) => r.generation)).toEqual([1, 1]);
    for (let i = 0; i < 4; i++) expect((await get(port)).gen).toBe("1");
  });

  it("scales a group and adds a worker group without restarting unchanged replicas", async () => {
    h = createHarness();
    const spec = baseSpec([webGroup({ health }, h.dir)]);
    h.start(spec);
    const before = replicasOf(await h.waitFor("ready", (s) => s.ready)).map((r) => r.pid);
    const next: SupervisorSpec = {
      ...spec,
      generation: 2,
      groups: [{ ...spec.groups[0]!, instances: 3 }, workerGroup(h.dir)],
    };
    h.write(next);
    h.child!.kill("SIGHUP");
    const s = await h.waitFor(
      "scaled",
      (st) => st.generation === 2 && st.ready && replicasOf(st).length === 3,
    );
    const pids = replicasOf(s).map((r) => r.pid);
    expect(pids).toEqual(expect.arrayContaining(before));
    expect(replicasOf(s, "mailer")).toHaveLength(1);
    h.write({ ...next, generation: 3, groups: [{ ...spec.groups[0]!, instances: 1 }] });
    h.child!.kill("SIGHUP");
    const down = await h.waitFor(
      "scaled down",
      (st) => st.generation === 3 && st.ready && st.groups.length === 1,
    );
    expect(replicasOf(down).map((r) => r.index)).toEqual([0]);
  });

  it("re-binds the balancer when its port changes", async () => {
    h = createHarness();
    const [port1, port2] = [await freePort(), await freePort()];
    const spec = baseSpec([webGroup({ health, instances: 1 }, h.dir)], {
      balancer: { host: "127.0.0.1", port: port1, strategy: "round_robin", group: "web" },
    });
    h.start(spec);
    await h.waitFor("ready", (s) => s.ready);
    h.write({ ...spec, generation: 2, balancer: { ...spec.balancer!, port: port2 } });
    h.child!.kill("SIGHUP");
    await h.waitFor(
      "moved",
      (st) => st.generation === 2 && st.ready && st.balancer?.port === port2,
    );
    expect((await get(port2)).index).toBe(0);
    await expect(fetch(`http://127.0.0.1:${port1}/`)).rejects.toThrow();
  });
});
