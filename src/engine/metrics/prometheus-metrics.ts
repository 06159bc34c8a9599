import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";
import type { MetricsRecorder } from "../../contracts/index.js";
import type { EngineModule } from "../modules/engine-module.js";

/** What the HTTP server reports per request. */
export interface HttpMetrics {
  recordHttpRequest(method: string, route: string, statusCode: number, durationMs: number): void;
}

/**
 * `metrics.prometheus`: the seed's MetricsRecorder plus HTTP request metrics, in a
 * registry of its own (with Node's process metrics), served by every `http.server`
 * at `path` (default `/metrics`) in Prometheus' text format.
 */
export class PrometheusMetrics implements MetricsRecorder, HttpMetrics, EngineModule {
  readonly type = "metrics.prometheus";
  readonly registry = new Registry();
  readonly #executions: Counter<"workflow_type" | "action" | "status">;
  readonly #duration: Histogram<"workflow_type" | "action">;
  readonly #requests: Counter<"method" | "path" | "status_code">;
  readonly #requestDuration: Histogram<"method" | "path" | "status_code">;

  constructor(
    readonly name: string,
    readonly path = "/metrics",
  ) {
    const registers = [this.registry];
    this.#executions = new Counter({
      name: "workflow_executions_total",
      help: "Pipeline executions by workflow type, action and status (success|error).",
      labelNames: ["workflow_type", "action", "status"],
      registers,
    });
    this.#duration = new Histogram({
      name: "workflow_duration_seconds",
      help: "Pipeline execution duration.",
      labelNames: ["workflow_type", "action"],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.#requests = new Counter({
      name: "http_requests_total",
      help: "HTTP requests by method, route and status code.",
      labelNames: ["method", "path", "status_code"],
      registers,
    });
    this.#requestDuration = new Histogram({
      name: "http_request_duration_seconds",
      help: "HTTP request duration by method, route and status code.",
      labelNames: ["method", "path", "status_code"],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    collectDefaultMetrics({ register: this.registry });
  }

  recordWorkflowExecution(workflowType: string, action: string, status: string): void {
    this.#executions.inc({ workflow_type: workflowType, action, status });
  }

  recordWorkflowDuration(workflowType: string, action: string, durationMs: number): void {
    this.#duration.observe({ workflow_type: workflowType, action }, durationMs / 1000);
  }

  recordHttpRequest(method: string, route: string, statusCode: number, durationMs: number): void {
    const labels = { method, path: route, status_code: String(statusCode) };
    this.#requests.inc(labels);
    this.#requestDuration.observe(labels, durationMs / 1000);
  }

  /** The exposition text and its content type. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
