/**
 * The program that serves a static site, written into the site's folder as
 * `static-server.mjs` and run by the supervisor with this Node. It is plain
 * JavaScript with no imports outside node:, so it needs neither the bundle nor tsx.
 * It serves SITE_ROOT on PORT (127.0.0.1): `index.html` for folders, never a path
 * outside the root, and exits on SIGTERM after closing its listener.
 */
export const STATIC_SERVER_FILE = "static-server.mjs";

export const STATIC_SERVER_SOURCE = `import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer } from "node:http";
import path from "node:path";

const root = path.resolve(process.env.SITE_ROOT);
const types = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
  ".json": "application/json", ".svg": "image/svg+xml", ".png": "image/png",
  ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8", ".wasm": "application/wasm", ".webp": "image/webp",
};

async function resolveFile(urlPath) {
  let file = path.resolve(root, "." + decodeURIComponent(urlPath));
  if (file !== root && !file.startsWith(root + path.sep)) return undefined;
  let info = await stat(file).catch(() => undefined);
  if (info?.isDirectory()) {
    file = path.join(file, "index.html");
    info = await stat(file).catch(() => undefined);
  }
  return info?.isFile() ? { file, size: info.size } : undefined;
}

const server = createServer(async (req, res) => {
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { allow: "GET, HEAD" }).end();
    return;
  }
  let found;
  try {
    found = await resolveFile(new URL(req.url, "http://site").pathname);
  } catch {
    found = undefined;
  }
  if (!found) {
    res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found\\n");
    return;
  }
  res.writeHead(200, {
    "content-type": types[path.extname(found.file).toLowerCase()] ?? "application/octet-stream",
    "content-length": found.size,
  });
  if (req.method === "HEAD") res.end();
  else createReadStream(found.file).pipe(res);
});
server.listen(Number(process.env.PORT), "127.0.0.1", () => console.log("serving " + root));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
`;
