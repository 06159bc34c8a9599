import { describe, expect, it } from "vitest";
import type { ExecutionStore } from "../../src/engine/execution-store/index.js";
import type { EngineModule } from "../../src/engine/modules/engine-module.js";
import { startTestApp } from "./engine-harness.js";

const config = `modules:
  - name: db
    type: database.sqlite
    config: { path: app.db }
  - name: executions
    type: execution.store
    config: { database: db, record_data: all }
pipelines:
  order:
    steps:
      - name: price
        type: step.set
        config: { values: { total: "{{ mul .qty 3 }}" } }
      - name: notify
        type: step.workflow_call
        config: { workflow: nowhere }
        on_error: continue
      - name: label
        type: step.set
        config: { values: { label: "{{ .qty }} items" } }
  summary:
    steps:
      - name: out
        type: step.pipeline_output
        config: { values: { ok: true } }
`;

async function recorded() {
  const { app } = await startTestApp(config);
  const module = app.module<EngineModule & { store(): ExecutionStore }>(
    "executions",
    ["execution.store"],
    "test",
  );
  return { app, store: module.store() };
}

describe("recorded executions", () => {
  it("show the execution's output as it ended: the trigger data, each step's output, a continued failure", async () => {
    const { app, store } = await recorded();
    const ran = await app.run("order", { qty: 2 }, { executionId: "order-1" });
    await store.flush();
    const found = await store.getExecution("order-1");
    expect(found?.execution.output).toEqual(ran.output);
    expect(found?.execution.output).toMatchObject({
      qty: 2,
      total: 6,
      label: "2 items",
      _skipped: true,
      _error: expect.stringContaining("nowhere"),
    });
    expect(found?.execution.trigger_data).toEqual({ qty: 2 });
    expect(found?.steps.map((s) => [s.step_name, s.status, s.output])).toEqual([
      ["price", "completed", { total: 6 }],
      ["notify", "failed", null],
      ["label", "completed", { label: "2 items" }],
    ]);
    // The completion event names no output: it is the trigger data and outputs above.
    expect(found?.events.at(-1)).toMatchObject({
      event_type: "execution.completed",
      event_data: { pipeline: "order" },
    });
    expect(found?.events.at(-1)?.event_data).not.toHaveProperty("output");
  });

  it("record an output a step chose (pipeline_output) as it is", async () => {
    const { app, store } = await recorded();
    await app.run("summary", { qty: 1 }, { executionId: "summary-1" });
    await store.flush();
    const found = await store.getExecution("summary-1");
    expect(found?.execution.output).toEqual({ ok: true });
    expect(found?.events.at(-1)?.event_data).toMatchObject({ output: { ok: true } });
  });
});
