import type { PipelineLogger } from "../../contracts/index.js";
import type { EventBus, EventPayload } from "../eventbus/event-bus.js";
import type { Pipeline } from "../pipeline/pipeline.js";
import type { EngineTrigger } from "./engine-trigger.js";

export interface EventTriggerConfig {
  readonly topic: string;
  readonly event?: string;
}

/**
 * Runs the pipeline for each message on `topic` (with `event`, only those whose
 * `type` or `eventType` equals it); the message is the trigger data.
 */
export class EventTrigger implements EngineTrigger {
  #unsubscribe: (() => void) | undefined;
  readonly #running = new Set<Promise<unknown>>();

  constructor(
    private readonly target: Pipeline,
    private readonly config: EventTriggerConfig,
    private readonly bus: EventBus,
    private readonly logger: PipelineLogger,
  ) {}

  get pipeline(): string {
    return this.target.name;
  }

  start(): void {
    this.#unsubscribe = this.bus.subscribe(this.config.topic, (payload) => this.#deliver(payload));
  }

  async stop(): Promise<void> {
    this.#unsubscribe?.();
    await Promise.all(this.#running);
  }

  async #deliver(payload: EventPayload): Promise<void> {
    const wanted = this.config.event;
    if (wanted !== undefined && payload.type !== wanted && payload.eventType !== wanted) return;
    const run = this.target.execute(payload, { triggerType: "event" }).catch((err: Error) => {
      this.logger.error(
        { pipeline: this.pipeline, topic: this.config.topic, err: err.message },
        "event run failed",
      );
    });
    this.#running.add(run);
    try {
      await run;
    } finally {
      this.#running.delete(run);
    }
  }
}
