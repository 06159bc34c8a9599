/** A message on a topic: plain JSON data. */
export type EventPayload = Readonly<Record<string, unknown>>;

export type EventHandler = (payload: EventPayload, topic: string) => Promise<void> | void;

/**
 * In-process publish/subscribe (`eventbus.memory`), used by `step.publish`, `event`
 * triggers and the EventEmitter's lifecycle events.
 */
export interface EventBus {
  /** Delivers to every subscriber of `topic`; resolves when they all have run. */
  publish(topic: string, payload: EventPayload): Promise<void>;
  /** Returns the unsubscribe function. */
  subscribe(topic: string, handler: EventHandler): () => void;
}
