import {
  Agent,
  createServer,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  request,
  type Server,
  type ServerResponse,
} from "node:http";
import { answerPreflight, withCorsHeaders } from "./cors.js";
import { REPLICA_HOST } from "./probe.js";
import type { Replica } from "./replica.js";
import { routeTarget } from "./route-path.js";
import type { BalancerSpec } from "./supervisor-protocol.js";

/** Methods whose request may be sent twice without harm. */
const IDEMPOTENT = new Set(["GET", "HEAD", "OPTIONS"]);
const RETRY_LISTEN_MS = 2_000;

export interface BalancerOptions {
  /** The replicas of a process group (the balancer keeps those in rotation). */
  readonly candidates: (group: string) => readonly Replica[];
  /** Listening state or error changed. */
  readonly onChange: () => void;
  readonly log: (message: string) => void;
}

/**
 * The HTTP entry point of a service: forwards each request to one healthy replica
 * (round robin or fewest in-flight requests) and retries once on another replica when
 * the chosen one turns out to be gone, so a replica dying mid-roll costs no request.
 */
export class Balancer {
  listening = false;
  error: string | undefined;
  #spec: BalancerSpec;
  #server: Server | undefined;
  #retryTimer: NodeJS.Timeout | undefined;
  #closed = false;
  #next = 0;
  #inFlight = 0;
  readonly #agent = new Agent({ keepAlive: true, maxFreeSockets: 64 });

  constructor(
    spec: BalancerSpec,
    private readonly options: BalancerOptions,
  ) {
    this.#spec = spec;
  }

  get spec(): BalancerSpec {
    return this.#spec;
  }

  start(): void {
    this.#listen();
  }

  /** A new spec: re-binds when host or port changed; strategy and group apply at once. */
  async update(spec: BalancerSpec): Promise<void> {
    const rebind = spec.port !== this.#spec.port || spec.host !== this.#spec.host;
    this.#spec = spec;
    if (!rebind) return;
    await this.#closeServer();
    this.#listen();
  }

  /**
   * Stops accepting connections, lets requests in flight finish for up to `drainMs`,
   * then drops every connection (idle keep-alive ones included).
   */
  async close(drainMs = 0): Promise<void> {
    this.#closed = true;
    const server = this.#server;
    const closed = this.#closeServer();
    const drainUntil = Date.now() + drainMs;
    while (this.#inFlight > 0 && Date.now() < drainUntil) await sleep(20);
    server?.closeAllConnections();
    await closed;
  }

  /** After close: drop the upstream keep-alive pool. */
  destroy(): void {
    this.#agent.destroy();
  }

  #listen(): void {
    clearTimeout(this.#retryTimer);
    if (this.#closed) return;
    const { host, port } = this.#spec;
    const server = createServer((req, res) => this.#handle(req, res));
    server.keepAliveTimeout = 5_000;
    this.#server = server;
    server.once("error", (error: NodeJS.ErrnoException) => {
      if (this.#server !== server) return;
      this.#server = undefined;
      this.listening = false;
      this.error =
        error.code === "EADDRINUSE"
          ? `port ${port} is already in use`
          : `cannot listen on ${host}:${port}: ${error.message}`;
      this.options.log(`balancer: ${this.error}; retrying every ${RETRY_LISTEN_MS / 1000} s`);
      this.options.onChange();
      this.#retryTimer = setTimeout(() => this.#listen(), RETRY_LISTEN_MS);
    });
    server.listen(port, host, () => {
      if (this.#server !== server) return;
      this.listening = true;
      this.error = undefined;
      this.options.log(`balancer: listening on ${host}:${port}`);
      this.options.onChange();
    });
  }

  #closeServer(): Promise<void> {
    clearTimeout(this.#retryTimer);
    const server = this.#server;
    this.#server = undefined;
    if (this.listening) {
      this.listening = false;
      this.options.onChange();
    }
    if (!server) return Promise.resolve();
    return new Promise((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
  }

  #pick(group: string, exclude?: Replica): Replica | undefined {
    const all = this.options.candidates(group).filter((r) => r !== exclude && r.inRotation);
    if (all.length === 0) return undefined;
    if (this.#spec.strategy === "least_connections") {
      let best = all[0]!;
      for (const r of all) if (r.inFlight < best.inFlight) best = r;
      return best;
    }
    this.#next = (this.#next + 1) % 1_000_000;
    return all[this.#next % all.length];
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    this.#inFlight += 1;
    res.once("close", () => {
      this.#inFlight -= 1;
    });
    const target = routeTarget(this.#spec.routes, req.url ?? "/");
    if (target === undefined) {
      unavailable(res, 404, `no route for ${req.url}`);
      return;
    }
    if (this.#spec.cors && answerPreflight(this.#spec.cors, req, res)) return;
    const group = target.group ?? this.#spec.group;
    this.#forward(req, res, { path: target.path, group }, this.#pick(group), false);
  }

  #forward(
    req: IncomingMessage,
    res: ServerResponse,
    to: { readonly path: string; readonly group: string },
    replica: Replica | undefined,
    retried: boolean,
  ): void {
    if (!replica || replica.port === undefined) {
      unavailable(res, 503, "no healthy replica");
      return;
    }
    replica.inFlight += 1;
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      replica.inFlight -= 1;
    };
    const headers: OutgoingHttpHeaders = {
      ...req.headers,
      "x-forwarded-for": appendForwarded(req),
      "x-forwarded-host": req.headers.host ?? "",
      "x-forwarded-proto": "http",
    };
    const upstream = request({
      host: REPLICA_HOST,
      port: replica.port,
      method: req.method,
      path: to.path,
      headers,
      agent: this.#agent,
    });
    let bodySent = false;
    upstream.once("socket", (socket) => {
      const sendBody = (): void => {
        bodySent = true;
        req.pipe(upstream);
      };
      if (socket.connecting) socket.once("connect", sendBody);
      else sendBody();
    });
    upstream.once("response", (upstreamRes) => {
      const cors = this.#spec.cors;
      res.writeHead(
        upstreamRes.statusCode ?? 502,
        upstreamRes.statusMessage,
        cors ? withCorsHeaders(cors, req.headers.origin, upstreamRes.headers) : upstreamRes.headers,
      );
      upstreamRes.pipe(res);
      upstreamRes.once("end", release);
      upstreamRes.once("error", () => {
        release();
        res.destroy();
      });
    });
    upstream.once("error", (error: NodeJS.ErrnoException) => {
      release();
      req.unpipe(upstream);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const refused = error.code === "ECONNREFUSED";
      const safe = IDEMPOTENT.has(req.method ?? "") || (refused && !bodySent);
      if (!retried && safe) {
        this.#forward(req, res, to, this.#pick(to.group, replica), true);
        return;
      }
      this.options.log(`balancer: ${req.method} ${req.url} to ${replica.name}: ${error.message}`);
      unavailable(res, 502, `replica ${replica.name} failed: ${error.message}`);
    });
    res.once("close", () => {
      release();
      if (!res.writableFinished) upstream.destroy();
    });
  }
}

function appendForwarded(req: IncomingMessage): string {
  const prior = req.headers["x-forwarded-for"];
  const client = req.socket.remoteAddress ?? "";
  return prior ? `${String(prior)}, ${client}` : client;
}

function unavailable(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) return;
  const body = JSON.stringify({ error: message });
  res.writeHead(status, { "content-type": "application/json", "content-length": body.length });
  res.end(body);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
