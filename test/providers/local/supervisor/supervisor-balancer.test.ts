import { createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { freePort } from "../../../../src/providers/local/supervisor/free-port.js";
import type { ProbeSpec } from "../../../../src/providers/local/supervisor/supervisor-protocol.js";
import {
  baseSpec,
  clientLoop,
  createHarness,
  get,
  type Harness,
  replicasOf,
  sleep,
  webGroup,
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

describe("supervisor balancer", () => {
  it("spreads requests over the replicas round robin", async () => {
    h = createHarness();
    const port = await freePort();
    h.start(
      baseSpec([webGroup({ health }, h.dir)], {
        balancer: { host: "127.0.0.1", port, strategy: "round_robin", group: "web" },
      }),
    );
    await h.waitFor("ready", (s) => s.ready);
    const seen: number[] = [];
    for (let i = 0; i < 10; i++) seen.push((await get(port)).index);
    expect(seen.filter((i) => i === 0)).toHaveLength(5);
    expect(seen.filter((i) => i === 1)).toHaveLength(5);
  });

  it("retries on the other replica when one is killed under load", async () => {
    h = createHarness();
    const port = await freePort();
    h.start(
      baseSpec([webGroup({ health }, h.dir)], {
        balancer: { host: "127.0.0.1", port, strategy: "round_robin", group: "web" },
      }),
    );
    const s = await h.waitFor("ready", (st) => st.ready);
    const client = clientLoop(port);
    await sleep(300);
    process.kill(replicasOf(s)[0]!.pid!, "SIGKILL");
    await sleep(700);
    await client.stop();
    expect(client.failures).toEqual([]);
    expect(client.sent()).toBeGreaterThan(50);
  });

  it("lets a request in flight finish when stopped with SIGTERM", async () => {
    h = createHarness();
    const port = await freePort();
    h.start(
      baseSpec([webGroup({ health, instances: 1 }, h.dir)], {
        balancer: { host: "127.0.0.1", port, strategy: "round_robin", group: "web" },
      }),
    );
    await h.waitFor("ready", (st) => st.ready);
    const slow = get(port, "/slow?ms=600");
    await sleep(150);
    h.child!.kill("SIGTERM");
    expect((await slow).index).toBe(0);
    expect(await h.exited()).toBe(0);
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
  });

  it("least_connections sends new requests to the idle replica", async () => {
    h = createHarness();
    const port = await freePort();
    h.start(
      baseSpec([webGroup({ health }, h.dir)], {
        balancer: { host: "127.0.0.1", port, strategy: "least_connections", group: "web" },
      }),
    );
    await h.waitFor("ready", (s) => s.ready);
    const slow = get(port, "/slow?ms=1500");
    await sleep(100);
    const quick: number[] = [];
    for (let i = 0; i < 5; i++) quick.push((await get(port)).index);
    const busy = (await slow).index;
    expect(quick.every((i) => i !== busy)).toBe(true);
  });

  it("sends no traffic to a replica failing readiness", async () => {
    h = createHarness();
    const port = await freePort();
    const group = webGroup({ health }, h.dir);
    h.start(
      baseSpec([{ ...group, env: { ...group.env, HEALTH_FAIL_INDEX: "1" } }], {
        balancer: { host: "127.0.0.1", port, strategy: "round_robin", group: "web" },
      }),
    );
    const s = await h.waitFor("replica 0 healthy, 1 unhealthy", (st) => {
      const [a, b] = [...replicasOf(st)].sort((x, y) => x.index - y.index);
      return st.balancer?.listening === true && a?.state === "healthy" && b?.state === "unhealthy";
    });
    expect(s.ready).toBe(false);
    const seen = new Set<number>();
    for (let i = 0; i < 10; i++) seen.add((await get(port)).index);
    expect([...seen]).toEqual([0]);
  });

  it("answers 503 with a JSON body when no replica is ready", async () => {
    h = createHarness();
    const port = await freePort();
    const group = webGroup({ health, instances: 1 }, h.dir);
    h.start(
      baseSpec([{ ...group, env: { ...group.env, HEALTH: "fail" } }], {
        balancer: { host: "127.0.0.1", port, strategy: "round_robin", group: "web" },
      }),
    );
    await h.waitFor("unhealthy", (st) => replicasOf(st)[0]?.state === "unhealthy");
    const res = await fetch(`http://127.0.0.1:${port}/`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ error: "no healthy replica" });
  });

  it("reports a taken balancer port and binds once it is free", async () => {
    h = createHarness();
    const port = await freePort();
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(port, "127.0.0.1", resolve));
    h.start(
      baseSpec([webGroup({ health, instances: 1 }, h.dir)], {
        balancer: { host: "127.0.0.1", port, strategy: "round_robin", group: "web" },
      }),
    );
    const s = await h.waitFor("port error", (st) => st.error !== undefined);
    expect(s.error).toBe(`port ${port} is already in use`);
    expect(s.balancer).toEqual({ port, listening: false, error: `port ${port} is already in use` });
    expect(s.ready).toBe(false);
    await new Promise<void>((resolve) => blocker.close(() => resolve()));
    const after = await h.waitFor("listening", (st) => st.ready, 5_000);
    expect(after.error).toBeUndefined();
    expect((await get(port)).index).toBe(0);
  });
});
