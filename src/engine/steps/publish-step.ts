/**
 * `step.publish`: publishes `payload` (default: the current data) on `topic` of the
 * app's event bus and outputs `{published: true, topic}`. Without an event bus it
 * outputs `{published: false}` (upstream's behaviour, not an error) and warns once.
 * Subscribers get a JSON copy, so later steps cannot change what they received.
 */
import { isPlainObject } from "../../is-record.js";
import { configError, messageOf, pipelineStep } from "./data-step-support.js";
import type { StepFactory } from "./step-factory.js";
import { render } from "./step-runtime.js";

export const publishStep: StepFactory = (ctx) => {
  if (typeof ctx.config.topic !== "string" || ctx.config.topic.trim() === "") {
    throw configError(ctx, "config.topic is required");
  }
  const topic = ctx.compile(["topic"]);
  const payload = ctx.config.payload === undefined ? undefined : ctx.compile(["payload"]);
  const bus = ctx.services.eventBus();
  const broker = ctx.config.broker;
  if (broker !== undefined) {
    // The app has one event bus: a named broker must be it.
    const name = bus !== undefined && "name" in bus ? bus.name : undefined;
    if (bus === undefined || (typeof name === "string" && name !== broker)) {
      throw configError(ctx, `config.broker "${String(broker)}" is not the app's event bus`);
    }
  }
  let warned = false;

  return pipelineStep(ctx, async (pc) => {
    const to = render(pc, topic);
    if (typeof to !== "string" || to.trim() === "") {
      throw new Error("the topic rendered empty");
    }
    if (bus === undefined) {
      if (!warned) {
        warned = true;
        ctx.services.logger.warn(
          { pipeline: ctx.pipeline, step: ctx.name, topic: to },
          "step.publish: no event bus is configured (add an eventbus.memory module); messages are dropped",
        );
      }
      return { output: { published: false } };
    }
    const data = payload === undefined ? pc.current : render(pc, payload);
    if (!isPlainObject(data)) throw new Error("the payload must be an object");
    try {
      await bus.publish(to, JSON.parse(JSON.stringify(data)) as Record<string, unknown>);
    } catch (err) {
      throw new Error(`publishing on "${to}" failed: ${messageOf(err)}`, {
        cause: err,
      });
    }
    return { output: { published: true, topic: to } };
  });
};
