import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import cors from "@fastify/cors";
import formbody from "@fastify/formbody";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { parseDuration } from "../../config/index.js";
import type { CORSSpec, PipelineLogger } from "../../contracts/index.js";
import type { HttpMetrics } from "../metrics/prometheus-metrics.js";
import type { EngineModule, HealthStatus, ModuleHost } from "../modules/engine-module.js";
import type { HttpRequestInfo, HttpResponder } from "./http-exchange.js";
import type { RouteTable } from "./route-table.js";
import { byteSize, listenAddress } from "./server-settings.js";

/** How long a stop waits for in-flight requests before closing their connections. */
const DRAIN_TIMEOUT_MS = 10_000;

export interface HttpServerConfig {
  readonly address?: string;
  readonly body_limit?: number | string;
  readonly cors?: CORSSpec;
  readonly request_id?: boolean;
  readonly health_path?: string;
  readonly ready_path?: string;
  readonly live_path?: string;
  readonly openapi_path?: string;
}

/** What the server asks of the app it serves. */
export interface ServedApp {
  /** The current routes (swapped whole on reload). */
  routes(): RouteTable;
  /** True once every module and trigger has started. */
  started(): boolean;
  /** Every module's health, by module name. */
  health(): Promise<Record<string, HealthStatus>>;
  openApi(): unknown;
  metrics():
    | (HttpMetrics & {
        readonly path: string;
        scrape(): Promise<{ contentType: string; body: string }>;
      })
    | undefined;
}

/**
 * `http.server` on fastify: pipeline routes through a swappable route table,
 * JSON and form bodies (malformed JSON → 400, over `body_limit` → 413), CORS,
 * request IDs, health/readiness/liveness, OpenAPI and metrics endpoints. Stopping
 * stops accepting, lets in-flight requests finish (bounded), then closes.
 */
export class HttpServerModule implements EngineModule {
  readonly type = "http.server";
  #fastify: FastifyInstance | undefined;
  #app: ServedApp | undefined;
  #logger: PipelineLogger | undefined;
  #closing = false;

  constructor(
    readonly name: string,
    private readonly config: HttpServerConfig,
  ) {}

  /** The port it listens on (after start). */
  get port(): number | undefined {
    const address = this.#fastify?.server.address() as AddressInfo | null | undefined;
    return address?.port;
  }

  /** Attaches the app it serves; called once when the app is built (and on reload). */
  serve(app: ServedApp): void {
    this.#app = app;
  }

  init(host: ModuleHost): void {
    this.#logger = host.logger;
    const requestIds = this.config.request_id !== false;
    const fastify = Fastify({
      bodyLimit: byteSize(this.config.body_limit),
      logger: false,
      forceCloseConnections: "idle",
      return503OnClosing: true,
      ...(requestIds
        ? {
            requestIdHeader: "x-request-id",
            genReqId: () => randomUUID(),
          }
        : {}),
    });
    fastify.register(formbody);
    if (this.config.cors) fastify.register(cors, corsOptions(this.config.cors));
    fastify.setErrorHandler((error, request, reply) =>
      this.#error(error as Error & { statusCode?: number; code?: string }, request, reply),
    );
    fastify.addHook("onSend", async (request, reply) => {
      if (requestIds) reply.header("x-request-id", request.id);
      // Stopping: in-flight answers close their connection, so the drain ends with them.
      if (this.#closing) reply.header("connection", "close");
    });
    fastify.addHook("onResponse", async (request, reply) => {
      const route =
        (request as RoutedRequest).routePattern ?? request.routeOptions.url ?? "unmatched";
      this.#app
        ?.metrics()
        ?.recordHttpRequest(request.method, route, reply.statusCode, reply.elapsedTime);
    });
    this.#registerProbes(fastify);
    // HEAD follows GET; OPTIONS is the CORS plugin's when it answers preflights.
    const methods = [
      "DELETE",
      "GET",
      "PATCH",
      "POST",
      "PUT",
      ...(this.config.cors ? [] : ["OPTIONS"]),
    ];
    fastify.route({
      method: methods,
      url: "/*",
      handler: (request, reply) => this.#dispatch(request, reply),
    });
    this.#fastify = fastify;
  }

  async start(): Promise<void> {
    const { host, port } = listenAddress(this.config.address);
    await this.#server().listen({ host, port });
  }

  async stop(): Promise<void> {
    const fastify = this.#fastify;
    if (!fastify) return;
    this.#closing = true;
    const force = setTimeout(() => fastify.server.closeAllConnections(), DRAIN_TIMEOUT_MS);
    force.unref();
    try {
      await fastify.close();
    } finally {
      clearTimeout(force);
    }
  }

  health(): HealthStatus {
    return this.#fastify?.server.listening
      ? { status: "healthy" }
      : { status: "unhealthy", detail: "not listening" };
  }

  #server(): FastifyInstance {
    if (!this.#fastify) throw new Error(`http.server "${this.name}" was not initialised`);
    return this.#fastify;
  }

  #registerProbes(fastify: FastifyInstance): void {
    const c = this.config;
    fastify.get(c.live_path ?? "/livez", async () => ({ status: "alive" }));
    fastify.get(c.health_path ?? "/healthz", async (_request, reply) => {
      const checks = (await this.#app?.health()) ?? {};
      const status = overall(Object.values(checks));
      return reply.code(status === "unhealthy" ? 503 : 200).send({ status, checks });
    });
    fastify.get(c.ready_path ?? "/readyz", async (_request, reply) => {
      const checks = (await this.#app?.health()) ?? {};
      const ready = this.#app?.started() === true && overall(Object.values(checks)) === "healthy";
      return reply.code(ready ? 200 : 503).send({ status: ready ? "ready" : "not_ready" });
    });
    fastify.get(c.openapi_path ?? "/openapi.json", async () => this.#app?.openApi() ?? {});
    fastify.get("/metrics", async (_request, reply) => {
      const metrics = this.#app?.metrics();
      if (!metrics) return reply.code(404).send({ error: "not found" });
      const { contentType, body } = await metrics.scrape();
      return reply.type(contentType).send(body);
    });
  }

  async #dispatch(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const app = this.#app;
    const path = request.url.split("?")[0] ?? "/";
    const match = app?.routes().match(request.method, path);
    if (!match || match.kind === "none") {
      return void reply.code(404).send({ error: "not found" });
    }
    if (match.kind === "method") {
      return void reply
        .code(405)
        .header("allow", match.allow.join(", "))
        .send({ error: "method not allowed" });
    }
    (request as RoutedRequest).routePattern = match.target.pattern;
    const info = requestInfo(
      request,
      path,
      match.target.pattern,
      match.params,
      match.target.rawBody,
    );
    await match.target.handle({
      request: info,
      responder: new ReplyResponder(reply),
      requestId: this.config.request_id === false ? undefined : request.id,
    });
  }

  #error(
    error: Error & { statusCode?: number; code?: string },
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (error.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
      void reply
        .code(413)
        .send({ error: `request body larger than ${byteSize(this.config.body_limit)} bytes` });
      return;
    }
    if (error.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") {
      void reply
        .code(415)
        .send({ error: `unsupported content type ${request.headers["content-type"]}` });
      return;
    }
    if (error.statusCode !== undefined && error.statusCode < 500) {
      const malformed =
        error instanceof SyntaxError || error.code === "FST_ERR_CTP_INVALID_JSON_BODY";
      const message = malformed ? "malformed JSON body" : error.message;
      void reply.code(error.statusCode).send({ error: message });
      return;
    }
    this.#logger?.error(
      { err: error.message, url: request.url, request_id: request.id },
      "request failed",
    );
    void reply.code(500).send({ error: "internal error" });
  }
}

type RoutedRequest = FastifyRequest & { routePattern?: string };

/** A reply answered at most once; `handled` tells the trigger a step already did. */
class ReplyResponder implements HttpResponder {
  #handled = false;

  constructor(private readonly reply: FastifyReply) {}

  get handled(): boolean {
    return this.#handled || this.reply.sent;
  }

  respond(status: number, headers: Readonly<Record<string, string>>, body: unknown): void {
    if (this.handled) return;
    this.#handled = true;
    this.reply.code(status).headers(headers);
    if (typeof body === "string" || Buffer.isBuffer(body)) {
      void this.reply.send(body);
    } else if (body === undefined) {
      void this.reply.send();
    } else {
      // Always JSON, even for a string-looking value: the header says so.
      if (!this.reply.hasHeader("content-type")) this.reply.type("application/json; charset=utf-8");
      void this.reply.send(JSON.stringify(body));
    }
  }
}

function requestInfo(
  request: FastifyRequest,
  path: string,
  pattern: string,
  params: Record<string, string>,
  keepRaw: boolean,
): HttpRequestInfo {
  const query: Record<string, string> = {};
  for (const [key, value] of Object.entries(request.query as Record<string, unknown>)) {
    query[key] = Array.isArray(value) ? String(value[0]) : String(value);
  }
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[key] = Array.isArray(value) ? value.join(", ") : value;
  }
  const body = request.body;
  return {
    method: request.method,
    path,
    routePattern: pattern,
    pathParams: params,
    query,
    headers,
    body,
    contentType: request.headers["content-type"],
    ...(keepRaw && body !== undefined
      ? { rawBody: typeof body === "string" ? body : JSON.stringify(body) }
      : {}),
  };
}

function overall(checks: readonly HealthStatus[]): HealthStatus["status"] {
  if (checks.some((c) => c.status === "unhealthy")) return "unhealthy";
  if (checks.some((c) => c.status === "degraded")) return "degraded";
  return "healthy";
}

function corsOptions(spec: CORSSpec) {
  const maxAge = spec.max_age;
  return {
    // `*` with credentials reflects the request's origin: browsers refuse a literal `*` then.
    origin: spec.allow_origins?.includes("*")
      ? spec.allow_credentials === true || "*"
      : (spec.allow_origins ?? []),
    ...(spec.allow_methods ? { methods: spec.allow_methods } : {}),
    ...(spec.allow_headers ? { allowedHeaders: spec.allow_headers } : {}),
    ...(spec.expose_headers ? { exposedHeaders: spec.expose_headers } : {}),
    credentials: spec.allow_credentials === true,
    ...(maxAge !== undefined ? { maxAge: maxAgeSeconds(maxAge) } : {}),
  };
}

/** `max_age`: whole seconds (`600`) or a duration (`10m`). */
function maxAgeSeconds(value: string | number): number {
  if (typeof value === "number" || /^\d+$/.test(value)) return Number(value);
  return Math.round((parseDuration(value) ?? 0) / 1000);
}
