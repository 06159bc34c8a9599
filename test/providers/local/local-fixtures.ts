import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * A tiny HTTP app for local-provider tests: answers `/healthz` and `/` (with its
 * INSTANCE_INDEX and GREETING), logs a line at start, and exits on SIGTERM.
 */
export const SERVER_JS = `
const http = require("node:http");
const port = Number(process.env.PORT);
http.createServer((req, res) => {
  if (req.url === "/healthz") { res.end("ok"); return; }
  res.end("hello " + process.env.INSTANCE_INDEX + " " + (process.env.GREETING || ""));
}).listen(port, "127.0.0.1", () => console.log("listening on " + port));
process.on("SIGTERM", () => process.exit(0));
`;

/**
 * A temporary project with the app in `app/server.js` and a built site in
 * `app/site/`; `dispose()` removes it.
 */
export function tempProject(): { dir: string; appDir: string; dispose: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), "wfctl-local-"));
  const appDir = path.join(dir, "app");
  mkdirSync(appDir);
  writeFileSync(path.join(appDir, "server.js"), SERVER_JS);
  mkdirSync(path.join(appDir, "site"));
  writeFileSync(path.join(appDir, "site", "index.html"), "<h1>local site</h1>\n");
  return { dir, appDir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The service config the tests start from: one replica of the app, probed over HTTP. */
export function serviceConfig(appDir: string, extra: Record<string, unknown> = {}) {
  return {
    source_dir: appDir,
    run_command: "node server.js",
    instance_count: 1,
    health_check: { http_path: "/healthz", period_seconds: 0.2 },
    termination: { grace_period_seconds: 2 },
    ...extra,
  };
}
