import type { Command } from "commander";
import type { CliIO } from "../cli-io.js";
import { loadValidConfig } from "../command-config.js";
import { resolveGlobalOptions } from "../global-options.js";
import { buildEngineApp } from "./engine-app.js";

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
    .addHelpText(
      "after",
      `
Logs are JSON lines on stdout. SIGTERM or SIGINT stops accepting requests, lets
in-flight ones finish (up to 10 s), stops the modules and exits 0.

Example:
  $ wfctl run -c examples/app/wfctl.yaml`,
    )
    .action(async (flags: { logLevel: string }, command: Command) => {
      const globals = resolveGlobalOptions(command, io);
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
      const signal = await stopping;
      app.logger.info({ signal }, "stopping");
      await app.stop();
      app.logger.info({}, "stopped");
    });
}
