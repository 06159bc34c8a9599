import { createServer } from "node:net";

/**
 * Ports for local resources. The supervisor picks replica ports itself; the provider
 * picks fixed ports (a PostgreSQL server) and checks a requested `http_port` before
 * it starts anything, so the error names the port instead of a supervisor log line.
 */

/** Ports handed out by this process and not yet bound, so two creates never pick the same. */
const reserved = new Set<number>();

function listenOnce(port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen({ port, host, exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === "object" && address ? address.port : port;
      server.close(() => resolve(bound));
    });
  });
}

/** True when nothing listens on `port` at `host` (probed by listening briefly). */
export async function isPortFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  try {
    await listenOnce(port, host);
    return true;
  } catch {
    return false;
  }
}

/** A port nothing listens on now and this process has not handed out before. */
export async function allocatePort(host = "127.0.0.1"): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await listenOnce(0, host);
    if (!reserved.has(port)) {
      reserved.add(port);
      return port;
    }
  }
  throw new Error("local provider: could not find a free TCP port");
}

/**
 * Rejects when `port` is in use, naming the resource that asked for it and, when
 * known, the local resource that holds it.
 */
export async function assertPortFree(
  port: number,
  resource: string,
  heldBy?: string,
  host = "127.0.0.1",
): Promise<void> {
  if (heldBy !== undefined) {
    throw new Error(
      `${resource}: http_port ${port} is already used by local resource "${heldBy}"; choose another http_port`,
    );
  }
  if (!(await isPortFree(port, host))) {
    throw new Error(
      `${resource}: http_port ${port} is already in use on ${host} by another program; stop it or choose another http_port`,
    );
  }
}
