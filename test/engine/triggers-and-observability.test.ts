import { describe, expect, it } from "vitest";
import type { EventBus } from "../../src/engine/eventbus/event-bus.js";
import { HTTP_SERVER, startTestApp } from "./engine-harness.js";

const until = async (check: () => boolean, ms = 5000) => {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return check();
};

describe("schedule and event triggers, lifecycle events and metrics", () => {
  it("runs a pipeline on its cron (seconds field)", async () => {
    const { app } = await startTestApp(`
modules:
  - name: bus
    type: eventbus.memory
pipelines:
  tick:
    trigger: { type: schedule, config: { cron: "* * * * * *" } }
    steps:
      - name: announce
        type: step.publish
        config: { topic: ticks, payload: { at: "{{ .trigger_time }}" } }
`);
    const bus = app.modules().find((m) => m.name === "bus") as unknown as EventBus;
    const ticks: unknown[] = [];
    bus.subscribe("ticks", (payload) => void ticks.push(payload));
    expect(await until(() => ticks.length >= 1, 3000)).toBe(true);
    expect(ticks[0]).toMatchObject({ at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
  });

  it("skips a tick while the previous run is still going", async () => {
    const { logger } = await startTestApp(`
pipelines:
  slow:
    trigger: { type: schedule, config: { cron: "* * * * * *" } }
    steps:
      - name: wait
        type: step.retry_with_backoff
        config:
          max_retries: 1
          initial_delay: 1500ms
          step: { type: step.workflow_call, config: { workflow: nowhere } }
        on_error: continue
`);
    expect(
      await until(
        () => logger.lines.some((l) => l.msg?.includes("previous run still going")),
        4000,
      ),
    ).toBe(true);
  });

  it("runs a pipeline for each matching message on its topic, and publishes lifecycle events", async () => {
    const { app } = await startTestApp(`
modules:
  - name: bus
    type: eventbus.memory
pipelines:
  on-order:
    trigger: { type: event, config: { topic: orders, event: created } }
    steps:
      - name: out
        type: step.publish
        config: { topic: seen, payload: { id: "{{ .id }}" } }
`);
    const bus = app.modules().find((m) => m.name === "bus") as unknown as EventBus;
    const seen: unknown[] = [];
    const lifecycle: string[] = [];
    bus.subscribe("seen", (p) => void seen.push(p));
    bus.subscribe(
      "workflow.pipeline:on-order.completed",
      (p) => void lifecycle.push(String(p.status)),
    );
    await bus.publish("orders", { type: "created", id: 7 });
    await bus.publish("orders", { type: "deleted", id: 8 });
    expect(await until(() => seen.length === 1 && lifecycle.length === 1)).toBe(true);
    expect(seen).toEqual([{ id: 7 }]);
    expect(lifecycle).toEqual(["completed"]);
  });

  it("counts executions and HTTP requests in Prometheus format at /metrics", async () => {
    const { url } = await startTestApp(`
modules:${HTTP_SERVER}
  - name: metrics
    type: metrics.prometheus
    config: { path: /prom }
pipelines:
  ping:
    trigger: { type: http, config: { method: GET, path: /ping } }
    steps:
      - name: s
        type: step.set
        config: { values: { pong: true } }
`);
    for (let i = 0; i < 3; i++) await (await fetch(url("/ping"))).text();
    expect((await fetch(url("/metrics"))).status).toBe(404);
    const text = await (await fetch(url("/prom"))).text();
    expect(text).toContain(
      'workflow_executions_total{workflow_type="pipeline:ping",action="execute",status="success",tenant=""} 3',
    );
    expect(text).toContain(
      'http_requests_total{method="GET",path="/ping",status_code="200",tenant=""} 3',
    );
    expect(text).toMatch(
      /workflow_duration_seconds_count\{workflow_type="pipeline:ping",action="execute",tenant=""\} 3/,
    );
    expect(text).toContain("http_request_duration_seconds_bucket");
  });
});
