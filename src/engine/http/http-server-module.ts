import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import cors from "@fastify/cors";
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type HTTPMethods,
} from "fastify";
import { parseDuration } from "../../config/index.js";
import {
  type CORSSpec,
  ErrForbidden,
  errorIs,
  type PipelineLogger,
  type Tenant,
} from "../../contracts/index.js";
import { WfError } from "../../diagnostics/index.js";
import type { RequestTenancy } from "../../tenants/tenant-modules.js";
import type { HttpMetrics } from "../metrics/prometheus-metrics.js";
import type { EngineModule, HealthStatus, ModuleHost } from "../modules/engine-module.js";
import type { HttpRequestInfo, HttpResponder } from "./http-exchange.js";
import { type RouteTable, type RouteTarget, routeParams, toRouterPath } from "./route-table.js";
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
  /** The app's tenant resolution, when it has a tenants.resolver. */
  tenancy(): RequestTenancy | undefined;
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
      // As the route table matches, so a route served natively answers the same paths.
      routerOptions: { ignoreTrailingSlash: true },
      return503OnClosing: true,
      // A path selector's tenant part comes out before routing (`/t/acme/orders` → `/orders`).
      rewriteUrl: (req) => {
        const url = req.url ?? "/";
        return this.#app?.tenancy()?.strip(url) ?? url;
      },
      ...(requestIds
        ? {
            requestIdHeader: "x-request-id",
            genReqId: () => randomUUID(),
          }
        : {}),
    });
    fastify.removeAllContentTypeParsers();
    fastify.addContentTypeParser("application/json", { parseAs: "string" }, parseJson);
    fastify.addContentTypeParser(
      "application/x-www-form-urlencoded",
      { parseAs: "string" },
      parseForm,
    );
    if (this.config.cors) fastify.register(cors, corsOptions(this.config.cors));
    fastify.setErrorHandler((error, request, reply) =>
      this.#error(error as Error & { statusCode?: number; code?: string }, request, reply),
    );
    const metricsModule = host.modules().find((m) => m.type === "metrics.prometheus") as
      | { readonly path: string }
      | undefined;
    // Hooks cost ~5 µs per request each (measured), so there is one only when it has
    // work: the app keeps a server only while its metrics modules stay the same.
    if (metricsModule) {
      fastify.addHook("onResponse", (request, reply, done) => {
        const metrics = this.#app?.metrics();
        if (metrics) {
          const route =
            (request as RoutedRequest).routePattern ?? request.routeOptions.url ?? "unmatched";
          metrics.recordHttpRequest(
            request.method,
            route,
            reply.statusCode,
            reply.elapsedTime,
            (request as RoutedRequest).tenant ?? "",
          );
        }
        done();
      });
    }
    this.#registerProbes(fastify, metricsModule?.path ?? "/metrics");
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

  /**
   * What every answer of ours carries (set as it is sent rather than by an `onSend`
   * hook, for the hook's cost): the request id, and while stopping
   * `connection: close`, so a drain ends with the in-flight answers.
   */
  #stamp(request: FastifyRequest, reply: FastifyReply): void {
    if (this.config.request_id !== false) reply.header("x-request-id", request.id);
    if (this.#closing) reply.header("connection", "close");
  }

  /**
   * Registers the app's routes with fastify's own router before the server listens,
   * so a request is routed once (the catch-all's second lookup measured at a few µs).
   * They serve while `table` is the app's; after a reload swaps the table, requests
   * are matched against the new one.
   */
  route(table: RouteTable): void {
    const fastify = this.#server();
    for (const target of table.targets) {
      const { path, rest } = toRouterPath(target.pattern);
      const method = target.method as HTTPMethods;
      if (fastify.hasRoute({ method, url: path })) continue; // a probe's path keeps its probe
      fastify.route({
        method,
        url: path,
        handler: (request, reply) => {
          if (this.#app?.routes() !== table) return this.#dispatch(request, reply);
          this.#stamp(request, reply);
          const params = routeParams(request.params as Record<string, string>, rest);
          return this.#handle(target, params, request, reply);
        },
      });
    }
  }

  async start(): Promise<void> {
    const { host, port } = listenAddress(this.config.address);
    try {
      await this.#server().listen({ host, port });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why =
        code === "EADDRINUSE"
          ? "is in use; stop what listens there or change address"
          : code === "EACCES"
            ? "needs privileges (ports below 1024); use a higher port"
            : `cannot be listened on: ${(err as Error).message}`;
      throw new WfError("WF_ERR_APP_START", `http.server "${this.name}": ${host}:${port} ${why}`, {
        cause: err,
      });
    }
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

  isClosing(): boolean {
    return this.#closing;
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

  #registerProbes(fastify: FastifyInstance, metricsPath: string): void {
    const c = this.config;
    const get = (
      path: string,
      handler: (request: FastifyRequest, reply: FastifyReply) => unknown,
    ) =>
      fastify.get(path, (request, reply) => {
        this.#stamp(request, reply);
        return handler(request, reply);
      });
    get(c.live_path ?? "/livez", async () => ({ status: "alive" }));
    get(c.health_path ?? "/healthz", async (_request, reply) => {
      const checks = (await this.#app?.health()) ?? {};
      const status = overall(Object.values(checks));
      return reply.code(status === "unhealthy" ? 503 : 200).send({ status, checks });
    });
    get(c.ready_path ?? "/readyz", async (_request, reply) => {
      const checks = (await this.#app?.health()) ?? {};
      const ready = this.#app?.started() === true && overall(Object.values(checks)) === "healthy";
      return reply.code(ready ? 200 : 503).send({ status: ready ? "ready" : "not_ready" });
    });
    get(c.openapi_path ?? "/openapi.json", async () => this.#app?.openApi() ?? {});
    get(metricsPath, async (_request, reply) => {
      const metrics = this.#app?.metrics();
      if (!metrics) return reply.code(404).send({ error: "not found" });
      const { contentType, body } = await metrics.scrape();
      return reply.type(contentType).send(body);
    });
  }

  async #dispatch(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    this.#stamp(request, reply);
    const app = this.#app;
    const path = request.url.split("?")[0] ?? "/";
    let match = app?.routes().match(request.method, path);
    // HEAD is answered by the GET route (fastify sends the headers only).
    if (request.method === "HEAD" && match?.kind !== "found")
      match = app?.routes().match("GET", path);
    if (!match || match.kind === "none") {
      return void reply.code(404).send({ error: "not found" });
    }
    if (match.kind === "method") {
      return void reply
        .code(405)
        .header("allow", match.allow.join(", "))
        .send({ error: "method not allowed" });
    }
    return this.#handle(match.target, match.params, request, reply);
  }

  #handle(
    target: RouteTarget,
    params: Record<string, string>,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<void> {
    (request as RoutedRequest).routePattern = target.pattern;
    const tenancy = this.#app?.tenancy();
    if (tenancy !== undefined) return this.#handleTenant(tenancy, target, params, request, reply);
    return this.#run(target, params, request, reply, undefined);
  }

  #run(
    target: RouteTarget,
    params: Record<string, string>,
    request: FastifyRequest,
    reply: FastifyReply,
    tenant: Tenant | undefined,
  ): Promise<void> {
    return target.handle({
      request: requestInfo(request, target.pattern, params, target.rawBody),
      responder: new ReplyResponder(reply, this),
      requestId: this.config.request_id === false ? undefined : request.id,
      tenant,
    });
  }

  /** A route of an app with a tenants.resolver: the request's tenant first. */
  async #handleTenant(
    tenancy: RequestTenancy,
    target: RouteTarget,
    params: Record<string, string>,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<void> {
    let tenant: Tenant | undefined;
    try {
      tenant = await tenancy.resolve({
        method: request.method,
        url: request.originalUrl,
        headers: request.headers,
      });
    } catch (err) {
      if (!errorIs(err, ErrForbidden)) throw err;
      this.#logger?.warn(
        { url: request.url, request_id: request.id, err: (err as Error).message },
        "tenant refused",
      );
      return void reply.code(403).send({ error: "tenant mismatch" });
    }
    if (tenant === undefined && tenancy.required) {
      return void reply.code(404).send({ error: "tenant not found" });
    }
    if (tenant !== undefined) (request as RoutedRequest).tenant = tenant.slug;
    return this.#run(target, params, request, reply, tenant);
  }

  #error(
    error: Error & { statusCode?: number; code?: string },
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    this.#stamp(request, reply);
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

/** What a request carries for the metrics hook: its route and tenant (slug). */
type RoutedRequest = FastifyRequest & { routePattern?: string; tenant?: string };

/** A reply answered at most once; `handled` tells the trigger a step already did. */
class ReplyResponder implements HttpResponder {
  #handled = false;

  constructor(
    private readonly reply: FastifyReply,
    private readonly server: { isClosing(): boolean },
  ) {}

  get handled(): boolean {
    return this.#handled || this.reply.sent;
  }

  respond(status: number, headers: Readonly<Record<string, string>>, body: unknown): void {
    if (this.handled) return;
    this.#handled = true;
    // The request id was set when the request was dispatched.
    if (this.server.isClosing()) this.reply.header("connection", "close");
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
  pattern: string,
  params: Record<string, string>,
  keepRaw: boolean,
): HttpRequestInfo {
  const raw = (request as RawBodyRequest).rawBody;
  const query = request.url.indexOf("?");
  return {
    method: request.method,
    path: query === -1 ? request.url : request.url.slice(0, query),
    routePattern: pattern,
    pathParams: params,
    query: firstValues(request.query as Record<string, unknown>),
    // Node's own object: lower-case names, repeated headers already joined.
    headers: request.headers as Record<string, string>,
    body: request.body,
    contentType: request.headers["content-type"],
    ...(keepRaw && raw !== undefined ? { rawBody: raw } : {}),
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

type RawBodyRequest = FastifyRequest & { rawBody?: string };

/**
 * The query as a plain object (the parser's has an empty prototype, which templates
 * do not read), with the first value of each repeated parameter (`?a=1&a=2` → "1").
 */
function firstValues(values: Record<string, unknown>): Record<string, string> {
  const first: Record<string, string> = {};
  for (const key in values) {
    const value = values[key];
    first[key] = Array.isArray(value) ? String(value[0]) : String(value);
  }
  return first;
}

/** JSON bodies, keeping the text for `raw_body` (signatures are over the exact bytes). */
function parseJson(
  request: FastifyRequest,
  body: string | Buffer,
  done: (err: Error | null, value?: unknown) => void,
) {
  const text = String(body);
  (request as RawBodyRequest).rawBody = text;
  if (text.trim() === "") return done(null, undefined);
  try {
    done(null, JSON.parse(text));
  } catch {
    done(Object.assign(new Error("malformed JSON body"), { statusCode: 400 }));
  }
}

/** Form bodies: the first value of each field, the text kept for `raw_body`. */
function parseForm(
  request: FastifyRequest,
  body: string | Buffer,
  done: (err: Error | null, value?: unknown) => void,
) {
  const text = String(body);
  (request as RawBodyRequest).rawBody = text;
  const fields: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(text))
    if (!Object.hasOwn(fields, key)) fields[key] = value;
  done(null, fields);
}
