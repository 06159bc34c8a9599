/** A started source of executions (schedule, event subscription): stopped before modules. */
export interface EngineTrigger {
  readonly pipeline: string;
  start(): void;
  /** Stops firing; resolves when its running executions have finished. */
  stop(): Promise<void>;
}
