import { describe, expect, it } from "vitest";
import type { EventPayload } from "../../../src/engine/eventbus/event-bus.js";
import { MemoryEventBus } from "../../../src/engine/eventbus/memory-event-bus.js";
import { publishStep } from "../../../src/engine/steps/publish-step.js";
import { buildStep, contextWith, recordingLogger } from "./step-harness.js";

describe("step.publish", () => {
  it("publishes the rendered payload on the rendered topic", async () => {
    const bus = new MemoryEventBus("events");
    const received: [string, EventPayload][] = [];
    bus.subscribe("orders.created", (payload, topic) => {
      received.push([topic, payload]);
    });
    const step = buildStep(
      publishStep,
      {
        topic: "orders.{{ .trigger.event }}",
        payload: { id: "{{ .steps.save.last_id }}", source: "api" },
      },
      { bus },
    );
    const result = await step.execute(
      contextWith({ event: "created" }, { save: { last_id: "42" } }),
    );
    expect(result.output).toEqual({ published: true, topic: "orders.created" });
    expect(received).toEqual([["orders.created", { id: "42", source: "api" }]]);
  });

  it("publishes a copy of the current data by default", async () => {
    const bus = new MemoryEventBus("events");
    const received: EventPayload[] = [];
    bus.subscribe("t", (payload) => {
      received.push(payload);
    });
    const ctx = contextWith({ a: 1 }, { b: { c: 2 } });
    await buildStep(publishStep, { topic: "t" }, { bus }).execute(ctx);
    ctx.mergeStepOutput("later", { a: 99 });
    expect(received).toEqual([{ a: 1, c: 2 }]);
  });

  it("outputs {published: false} without a bus and warns once", async () => {
    const logger = recordingLogger();
    const step = buildStep(publishStep, { topic: "t" }, { logger });
    expect((await step.execute(contextWith())).output).toEqual({ published: false });
    expect((await step.execute(contextWith())).output).toEqual({ published: false });
    const warnings = logger.lines.filter((l) => l.level === "warn");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.msg).toMatch(/no event bus/);
  });

  it("fails when the payload is not an object", async () => {
    const bus = new MemoryEventBus("events");
    const step = buildStep(publishStep, { topic: "t", payload: "{{ .trigger.n }}" }, { bus });
    await expect(step.execute(contextWith({ n: 3 }))).rejects.toThrow(/payload must be an object/);
  });

  it("rejects a broker that is not the app's bus when built", () => {
    const bus = new MemoryEventBus("events");
    expect(() => buildStep(publishStep, { topic: "t", broker: "kafka" }, { bus })).toThrow(
      /config.broker "kafka" is not the app's event bus/,
    );
    expect(() => buildStep(publishStep, { topic: "t", broker: "events" }, { bus })).not.toThrow();
  });
});
