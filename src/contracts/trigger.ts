import type { CallOptions } from "./call-options.js";

/**
 * What starts a workflow execution (HTTP, schedule, event...). The seed embeds the
 * module lifecycle (name, init, start, stop) and adds configure. `App` is the
 * engine's application type, unknown here so contracts depend on nothing.
 */
export interface Trigger<App = unknown> {
  name(): string;
  init(app: App): Promise<void>;
  start(opts?: CallOptions): Promise<void>;
  stop(opts?: CallOptions): Promise<void>;
  /** Sets the trigger up from its config (validated by the config schema). */
  configure(app: App, triggerConfig: unknown): Promise<void>;
}
