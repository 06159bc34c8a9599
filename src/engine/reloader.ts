import type { LoadResult, WorkflowConfig } from "../config/index.js";
import { formatDiagnostic } from "../diagnostics/index.js";
import type { App } from "./app.js";

export interface ReloaderOptions {
  /** Loads and validates the config again. */
  readonly load: () => Promise<LoadResult>;
  /** Builds the app of a new config, keeping the running modules it can. */
  readonly build: (config: WorkflowConfig, previous: App) => Promise<App>;
}

/**
 * Swaps a running app for the app of its changed config (`wfctl run --watch`).
 * Unchanged modules keep running (an unchanged http.server keeps its listener and
 * connections; it switches to the new routes in one assignment, so in-flight
 * requests finish on the pipelines they started with); changed ones are stopped
 * and started anew; removed ones stop. A config that does not load or build is
 * refused and the running app keeps serving.
 */
export class Reloader {
  #app: App;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    app: App,
    private readonly options: ReloaderOptions,
  ) {
    this.#app = app;
  }

  get app(): App {
    return this.#app;
  }

  /** Reloads once (calls made meanwhile run after it); true when the new config runs. */
  reload(): Promise<boolean> {
    const next = this.#queue.then(() => this.#reload());
    this.#queue = next.catch(() => {});
    return next;
  }

  async #reload(): Promise<boolean> {
    const current = this.#app;
    const log = current.logger;
    const loaded = await this.options.load();
    if (!loaded.config) {
      const errors = loaded.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic);
      log.error(
        { errors },
        "config change refused: it does not load; still running the previous one",
      );
      return false;
    }
    let next: App;
    try {
      next = await this.options.build(loaded.config, current);
    } catch (err) {
      log.error(
        { err: (err as Error).message },
        "config change refused: it does not build; still running the previous one",
      );
      return false;
    }
    const kept = next.keptModules();
    const replaced = new Set(next.modules().map((m) => m.name));
    // Triggers first (no new scheduled run starts), then the modules being replaced,
    // so a changed server can bind its port again.
    await current.stopTriggers();
    await current.stopModules((m) => !kept.has(m) && replaced.has(m.name));
    try {
      await next.start();
    } catch (err) {
      log.error(
        { err: (err as Error).message },
        "reload failed while starting the new config; restart wfctl run",
      );
      throw err;
    }
    this.#app = next;
    await current.stopModules((m) => !kept.has(m) && !replaced.has(m.name));
    log.info({ kept: kept.size, pipelines: next.pipelines.size }, "config reloaded");
    return true;
  }
}
