import { readFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { freePort } from "../../../../src/providers/local/supervisor/free-port.js";
import type { ProcessGroupSpec } from "../../../../src/providers/local/supervisor/supervisor-protocol.js";
import { baseSpec, createHarness, type Harness, sleep } from "./supervisor-harness.js";

interface Received {
  headers: IncomingHttpHeaders;
  body: { resource: string; group: string; index: number; lines: string[] };
}

/** An HTTP log collector; answers `failFirst` requests with 500 first. */
async function collector(
  failFirst = 0,
): Promise<{ url: string; got: Received[]; close: () => Promise<void> }> {
  const got: Received[] = [];
  let seen = 0;
  const server: Server = createServer((req, res) => {
    let data = "";
    req.on("data", (chunk) => {
      data += chunk;
    });
    req.on("end", () => {
      seen += 1;
      if (seen <= failFirst) {
        res.writeHead(500).end();
        return;
      }
      got.push({ headers: req.headers, body: JSON.parse(data) as Received["body"] });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/logs`,
    got,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Prints `count` numbered lines quickly, then idles. */
function chatty(dir: string, count: number): ProcessGroupSpec {
  return {
    name: "chatty",
    command: `node -e "for (let i = 0; i < ${count}; i++) console.log('line ' + i); setInterval(() => {}, 1000)"`,
    cwd: dir,
    env: { SECRET_TOKEN: "do-not-forward" },
    instances: 1,
    port: false,
  };
}

const linesOf = (got: Received[]) => got.flatMap((r) => r.body.lines);
const lineNumbers = (count: number) => Array.from({ length: count }, (_, i) => `line ${i}`);

let h: Harness;
let closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await h.cleanup();
  await Promise.all(closers.map((c) => c()));
  closers = [];
});

describe("supervisor log destinations", () => {
  it("POSTs replica lines in batches of at most 100, with the destination's headers and no env", async () => {
    h = createHarness();
    const sink = await collector();
    closers.push(sink.close);
    h.start(
      baseSpec([chatty(h.dir, 250)], {
        log_destinations: [{ name: "sink", endpoint: sink.url, headers: { "x-api-key": "k1" } }],
      }),
    );
    const until = Date.now() + 8_000;
    while (linesOf(sink.got).length < 250 && Date.now() < until) await sleep(50);
    expect(linesOf(sink.got)).toEqual(lineNumbers(250));
    expect(sink.got.length).toBeGreaterThanOrEqual(3);
    for (const r of sink.got) {
      expect(r.headers["x-api-key"]).toBe("k1");
      expect(r.headers["content-type"]).toBe("application/json");
      expect(Object.keys(r.body).sort()).toEqual(["group", "index", "lines", "resource"]);
      expect(r.body).toMatchObject({ resource: "api", group: "chatty", index: 0 });
      expect(r.body.lines.length).toBeLessThanOrEqual(100);
    }
    expect(JSON.stringify(sink.got.map((r) => r.body))).not.toContain("do-not-forward");
  });

  it("retries a failing destination with backoff, logging it, without holding up another", async () => {
    h = createHarness();
    const flaky = await collector(2);
    const good = await collector();
    closers.push(flaky.close, good.close);
    const down = `http://127.0.0.1:${await freePort()}/logs`;
    h.start(
      baseSpec([chatty(h.dir, 20)], {
        log_destinations: [
          { name: "flaky", endpoint: flaky.url },
          { name: "down", endpoint: down },
          { name: "good", endpoint: good.url },
        ],
      }),
    );
    const until = Date.now() + 8_000;
    while (linesOf(flaky.got).length < 20 && Date.now() < until) await sleep(50);
    expect(linesOf(flaky.got)).toEqual(lineNumbers(20));
    expect(linesOf(good.got)).toEqual(lineNumbers(20));
    const log = readFileSync(join(h.dir, "logs", "supervisor.log"), "utf8");
    expect(log).toContain(`log destination flaky: cannot POST to ${flaky.url}: HTTP 500`);
    expect(log).toContain(`log destination down: cannot POST to ${down}`);
    expect(log).toMatch(/log destination flaky: retrying in \d+ ms/);
    expect(h.status()?.groups[0]?.replicas[0]?.state).toBe("healthy");
  });

  it("delivers a replica's last lines when the supervisor stops", async () => {
    h = createHarness();
    const sink = await collector();
    closers.push(sink.close);
    h.start(
      baseSpec(
        [
          {
            ...chatty(h.dir, 1),
            command: `node -e "console.log('up'); process.on('SIGTERM', () => { console.log('bye'); process.exit(0); }); setInterval(() => {}, 1000)"`,
          },
        ],
        { log_destinations: [{ name: "sink", endpoint: sink.url }] },
      ),
    );
    await h.waitFor("ready", (s) => s.ready);
    await sleep(300);
    h.child!.kill("SIGTERM");
    expect(await h.exited()).toBe(0);
    expect(linesOf(sink.got)).toEqual(["up", "bye"]);
  });
});
