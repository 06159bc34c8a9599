import { watch } from "chokidar";
import type { Command } from "commander";
import { WfError } from "../../diagnostics/index.js";
import { Reloader } from "../../engine/reloader.js";
import type { CliIO } from "../cli-io.js";
import { loadCommandConfig, loadValidConfig } from "../command-config.js";
import { resolveGlobalOptions } from "../global-options.js";
import { buildEngineApp } from "./engine-app.js";

const LOG_LEVELS = ["debug", "info", "warn", "error"];

/** Resolves at the first SIGTERM or SIGINT. */
function shutdownSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      process.off("SIGTERM", on);
      process.off("SIGINT", on);
      resolve(signal);
    };
    process.on("SIGTERM", on);
    process.on("SIGINT", on);
  });
}

/** `wfctl run`: the config's app, until SIGTERM/SIGINT. */
export function registerRunCommand(program: Command, io: CliIO): void {
  program
    .command("run")
    .description("run the engine: HTTP, schedule and event triggers over the config's pipelines")
    .option("--log-level <level>", "debug, info, warn or error", "info")
    .option("--watch", "reload when the config (or a file it imports) changes")
    .addHelpText(
      "after",
      `
Logs are JSON lines on stdout. SIGTERM or SIGINT stops accepting requests, lets
in-flight ones finish (up to 10 s), stops the modules and exits 0. With --watch a
changed config is applied without a restart: unchanged modules (and the HTTP
listener) keep running; a config that does not load is refused and the old one
keeps serving.

Example:
  $ wfctl run -c examples/app/wfctl.yaml`,
    )
    .action(async (flags: { logLevel: string; watch?: boolean }, command: Command) => {
      const globals = resolveGlobalOptions(command, io);
      if (!LOG_LEVELS.includes(flags.logLevel)) {
        throw new WfError("WF_ERR_USAGE", `--log-level must be one of ${LOG_LEVELS.join(", ")}`);
      }
      const config = await loadValidConfig(globals, io);
      const app = await buildEngineApp(config, io.stdout, flags.logLevel);
      const stopping = shutdownSignal();
      await app.start();
      app.logger.info(
        {
          pipelines: app.pipelines.size,
          ...(app.httpPort() !== undefined ? { port: app.httpPort() } : {}),
        },
        "started",
      );
      const reloader = new Reloader(app, {
        load: () => loadCommandConfig(globals, io),
        build: (next, previous) => buildEngineApp(next, io.stdout, flags.logLevel, previous),
      });
      const watcher = flags.watch ? watchConfig(reloader) : undefined;
      // An app with only event triggers gives Node nothing to wait on: this does.
      const alive = setInterval(() => {}, 60_000);
      const signal = await stopping;
      clearInterval(alive);
      await watcher?.close();
      reloader.app.logger.info({ signal }, "stopping");
      await reloader.app.stop();
      reloader.app.logger.info({}, "stopped");
    });
}

/** How long edits settle before a reload (editors write in several steps). */
const DEBOUNCE_MS = 300;

/** Reloads when a config file changes; follows the files a new config imports. */
function watchConfig(reloader: Reloader) {
  let files = [...reloader.app.config.files];
  const watcher = watch(files, { ignoreInitial: true });
  let timer: NodeJS.Timeout | undefined;
  watcher.on("all", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      if (!(await reloader.reload().catch(() => false))) return;
      const next = [...reloader.app.config.files];
      watcher.unwatch(files.filter((f) => !next.includes(f)));
      watcher.add(next.filter((f) => !files.includes(f)));
      files = next;
    }, DEBOUNCE_MS);
  });
  return {
    close: () => {
      clearTimeout(timer);
      return watcher.close();
    },
  };
}
