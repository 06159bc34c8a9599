import { Cron } from "croner";
import type { PipelineLogger } from "../../contracts/index.js";
import type { Pipeline } from "../pipeline/pipeline.js";
import type { EngineTrigger } from "./engine-trigger.js";

export interface ScheduleTriggerConfig {
  readonly cron: string;
  readonly timezone?: string;
}

/**
 * Runs the pipeline on its cron (croner: five fields, six with seconds, `@daily`…)
 * in `timezone` (default UTC) with `{trigger_time}`. A tick while the previous run
 * is still going is skipped and logged: runs never overlap.
 */
export class ScheduleTrigger implements EngineTrigger {
  #job: Cron | undefined;
  #running: Promise<unknown> | undefined;

  constructor(
    private readonly target: Pipeline,
    private readonly config: ScheduleTriggerConfig,
    private readonly logger: PipelineLogger,
  ) {
    // Throws for an expression croner cannot read: a load error, not a silent no-op.
    new Cron(config.cron, { timezone: config.timezone ?? "UTC", paused: true }).stop();
  }

  get pipeline(): string {
    return this.target.name;
  }

  start(): void {
    this.#job = new Cron(this.config.cron, { timezone: this.config.timezone ?? "UTC" }, () =>
      this.#tick(),
    );
  }

  async stop(): Promise<void> {
    this.#job?.stop();
    await this.#running;
  }

  #tick(): void {
    if (this.#running) {
      this.logger.warn(
        { pipeline: this.pipeline },
        "schedule: previous run still going; tick skipped",
      );
      return;
    }
    const run = this.target
      .execute({ trigger_time: new Date().toISOString() }, { triggerType: "schedule" })
      .catch((err: Error) =>
        this.logger.error({ pipeline: this.pipeline, err: err.message }, "scheduled run failed"),
      )
      .finally(() => {
        this.#running = undefined;
      });
    this.#running = run;
  }
}
