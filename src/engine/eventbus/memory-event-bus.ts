import type { PipelineLogger } from "../../contracts/index.js";
import type { EngineModule } from "../modules/engine-module.js";
import type { EventBus, EventHandler, EventPayload } from "./event-bus.js";

/**
 * `eventbus.memory`: topics in this process. A publish runs every subscriber of the
 * topic concurrently and resolves when all have finished; a subscriber that throws
 * is logged and does not affect the others or the publisher.
 */
export class MemoryEventBus implements EventBus, EngineModule {
  readonly type = "eventbus.memory";
  readonly #subscribers = new Map<string, Set<EventHandler>>();

  constructor(
    readonly name: string,
    private readonly logger?: PipelineLogger,
  ) {}

  async publish(topic: string, payload: EventPayload): Promise<void> {
    const handlers = [...(this.#subscribers.get(topic) ?? [])];
    await Promise.all(
      handlers.map(async (handler) => {
        try {
          await handler(payload, topic);
        } catch (err) {
          this.logger?.error({ topic, err: (err as Error).message }, "event subscriber failed");
        }
      }),
    );
  }

  subscribe(topic: string, handler: EventHandler): () => void {
    const set = this.#subscribers.get(topic) ?? new Set<EventHandler>();
    set.add(handler);
    this.#subscribers.set(topic, set);
    return () => {
      set.delete(handler);
    };
  }
}
