// The local provider with real processes: a 2-replica HTTP service from create to
// healthy, a killed replica serving again, and failures during a rolling update under
// 100 requests/s.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { LocalProvider } from "../src/providers/local/index.js";
import { allocatePort } from "../src/providers/local/ports.js";
import type { SupervisorStatus } from "../src/providers/local/supervisor/supervisor-protocol.js";

const SERVER = `
const http = require("node:http");
http.createServer((req, res) => {
  if (req.url === "/healthz") { res.end("ok"); return; }
  res.end("v" + (process.env.VERSION || "1") + " replica " + process.env.INSTANCE_INDEX);
}).listen(Number(process.env.PORT), "127.0.0.1");
process.on("SIGTERM", () => process.exit(0));
`;

const dir = mkdtempSync(path.join(tmpdir(), "wfctl-bench-local-"));
writeFileSync(path.join(dir, "server.js"), SERVER);
const provider = new LocalProvider();
await provider.initialize({ _config_dir: dir });
const driver = provider.resourceDriver("infra.container_service");
const port = await allocatePort();
const config = (version: string) => ({
  source_dir: dir,
  run_command: "node server.js",
  http_port: port,
  instance_count: 2,
  env_vars: { VERSION: version },
  health_check: { http_path: "/healthz", period_seconds: 0.2, failure_threshold: 2 },
  termination: { drain_seconds: 1, grace_period_seconds: 2 },
});
const spec = (version: string) => ({
  name: "bench-api",
  type: "infra.container_service",
  config: config(version),
});
const url = `http://127.0.0.1:${port}/`;
const ok = async () => {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
};
const statusFile = path.join(dir, ".wfctl/local/container_service/bench-api/status.json");
const status = () => JSON.parse(readFileSync(statusFile, "utf8")) as SupervisorStatus;

try {
  let t = performance.now();
  const created = await driver.create(spec("1"));
  const readyMs = performance.now() - t;
  console.log(
    `2-replica service create → healthy          ${readyMs.toFixed(0)} ms (target < 3000 ms)`,
  );

  const victim = status().groups[0]?.replicas[0];
  if (!victim?.pid) throw new Error("no replica pid in status.json");
  t = performance.now();
  process.kill(victim.pid, "SIGKILL");
  for (;;) {
    const replica = status().groups[0]?.replicas.find((r) => r.index === victim.index);
    if (replica?.pid !== victim.pid && replica?.state === "healthy" && (await ok())) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  console.log(
    `killed replica healthy and serving again     ${(performance.now() - t).toFixed(0)} ms (target < 2000 ms)`,
  );

  let sent = 0;
  let failed = 0;
  let rolling = true;
  const load = (async () => {
    while (rolling) {
      const tick = performance.now();
      sent += 1;
      if (!(await ok())) failed += 1;
      await new Promise((r) => setTimeout(r, Math.max(0, 10 - (performance.now() - tick))));
    }
  })();
  t = performance.now();
  await driver.update(
    { name: "bench-api", type: "infra.container_service", provider_id: created.provider_id },
    spec("2"),
  );
  const rollMs = performance.now() - t;
  await new Promise((r) => setTimeout(r, 200));
  rolling = false;
  await load;
  const rate = (sent / ((rollMs + 200) / 1000)).toFixed(0);
  console.log(
    `rolling update of 2 replicas                 ${rollMs.toFixed(0)} ms, ${sent} requests (~${rate}/s), ${failed} failed (target 0)`,
  );
  await driver.delete({
    name: "bench-api",
    type: "infra.container_service",
    provider_id: created.provider_id,
  });
} finally {
  await provider.close();
  rmSync(dir, { recursive: true, force: true });
}
