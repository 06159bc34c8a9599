import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";
import type { MetricsRecorder } from "../../contracts/index.js";
import type { EngineModule } from "../modules/engine-module.js";

/** What the HTTP server reports per request (`tenant`: the resolved tenant's slug, or ""). */
export interface HttpMetrics {
  recordHttpRequest(
    method: string,
    route: string,
    statusCode: number,
    durationMs: number,
    tenant: string,
  ): void;
}

/** The seed's MetricsRecorder with the execution's tenant (slug, or "") as a label. */
export interface TenantMetricsRecorder extends MetricsRecorder {
  recordWorkflowExecution(
    workflowType: string,
    action: string,
    status: string,
    tenant?: string,
  ): void;
  recordWorkflowDuration(
    workflowType: string,
    action: string,
    durationMs: number,
    tenant?: string,
  ): void;
}

/**
 * `metrics.prometheus`: the seed's MetricsRecorder plus HTTP request metrics, in a
 * registry of its own (with Node's process metrics), served by every `http.server`
 * at `path` (default `/metrics`) in Prometheus' text format.
 */
export class PrometheusMetrics implements TenantMetricsRecorder, HttpMetrics, EngineModule {
  readonly type = "metrics.prometheus";
  readonly registry = new Registry();
  readonly #executions: Counter<"workflow_type" | "action" | "status" | "tenant">;
  readonly #duration: Histogram<"workflow_type" | "action" | "tenant">;
  readonly #requests: Counter<"method" | "path" | "status_code" | "tenant">;
  readonly #requestDuration: Histogram<"method" | "path" | "status_code" | "tenant">;

  constructor(
    readonly name: string,
    readonly path = "/metrics",
  ) {
    const registers = [this.registry];
    this.#executions = new Counter({
      name: "workflow_executions_total",
      help: "Pipeline executions by workflow type, action, status (success|error) and tenant.",
      labelNames: ["workflow_type", "action", "status", "tenant"],
      registers,
    });
    this.#duration = new Histogram({
      name: "workflow_duration_seconds",
      help: "Pipeline execution duration by workflow type, action and tenant.",
      labelNames: ["workflow_type", "action", "tenant"],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.#requests = new Counter({
      name: "http_requests_total",
      help: "HTTP requests by method, route, status code and tenant.",
      labelNames: ["method", "path", "status_code", "tenant"],
      registers,
    });
    this.#requestDuration = new Histogram({
      name: "http_request_duration_seconds",
      help: "HTTP request duration by method, route, status code and tenant.",
      labelNames: ["method", "path", "status_code", "tenant"],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    collectDefaultMetrics({ register: this.registry });
  }

  recordWorkflowExecution(workflowType: string, action: string, status: string, tenant = ""): void {
    this.#executions.inc({ workflow_type: workflowType, action, status, tenant });
  }

  recordWorkflowDuration(
    workflowType: string,
    action: string,
    durationMs: number,
    tenant = "",
  ): void {
    this.#duration.observe({ workflow_type: workflowType, action, tenant }, durationMs / 1000);
  }

  recordHttpRequest(
    method: string,
    route: string,
    statusCode: number,
    durationMs: number,
    tenant: string,
  ): void {
    const labels = { method, path: route, status_code: String(statusCode), tenant };
    this.#requests.inc(labels);
    this.#requestDuration.observe(labels, durationMs / 1000);
  }

  /** The exposition text and its content type. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
