import type { Command } from "commander";
import { WfError } from "../../diagnostics/index.js";
import { ExecutionError } from "../../engine/pipeline/pipeline.js";
import type { CliIO } from "../cli-io.js";
import { loadValidConfig } from "../command-config.js";
import { resolveGlobalOptions } from "../global-options.js";
import { renderTable } from "../views/table.js";
import { buildEngineApp } from "./engine-app.js";

/** `wfctl pipeline list | run NAME --input JSON`. */
export function registerPipelineCommands(program: Command, io: CliIO): void {
  const pipeline = program
    .command("pipeline")
    .description("pipelines: list | run NAME [--input JSON]")
    .addHelpText("after", `\nExample:\n  $ wfctl pipeline run hello --input '{"name":"ada"}'`);

  pipeline
    .command("list")
    .description("the config's pipelines with their triggers")
    .addHelpText("after", "\nExample:\n  $ wfctl pipeline list -c examples/app/wfctl.yaml")
    .action(async (_flags: unknown, command: Command) => {
      const globals = resolveGlobalOptions(command, io);
      const config = await loadValidConfig(globals, io);
      const rows = Object.values(config.pipelines).map((p) => ({
        name: p.name,
        trigger: p.trigger ? `${p.trigger.type} ${triggerSummary(p.trigger.config)}`.trim() : "",
        steps: p.steps.length,
      }));
      if (globals.json) {
        io.stdout.write(`${JSON.stringify({ version: 1, pipelines: rows }, null, 2)}\n`);
      } else {
        io.stdout.write(
          renderTable(
            ["NAME", "TRIGGER", "STEPS"],
            rows.map((r) => [r.name, r.trigger, String(r.steps)]),
          ),
        );
      }
    });

  pipeline
    .command("run <name>")
    .description("run one pipeline once, outside any trigger, and print its result as JSON")
    .option("--input <json>", "trigger data, a JSON object", "{}")
    .option(
      "--trace",
      "record this execution's trigger data and outputs in the execution store, whatever its record_data says",
    )
    .addHelpText(
      "after",
      `
The config's modules start (databases migrate) but nothing listens and no trigger
fires. Exit 1 when the pipeline fails; the error names the failing step.

Example:
  $ wfctl pipeline run hello --input '{"name":"ada"}'`,
    )
    .action(async (name: string, flags: { input: string; trace?: boolean }, command: Command) => {
      const globals = resolveGlobalOptions(command, io);
      const input = parseInput(flags.input);
      const config = await loadValidConfig(globals, io);
      const app = await buildEngineApp(config, io.stderr, globals.verbose ? "debug" : "warn");
      await app.start({ serve: false });
      try {
        const execution = await app.run(name, input, {
          triggerType: "cli",
          ...(flags.trace ? { trace: true } : {}),
        });
        io.stdout.write(`${JSON.stringify(execution.output, null, 2)}\n`);
      } catch (err) {
        if (err instanceof ExecutionError) {
          throw new WfError(
            "WF_ERR_PIPELINE",
            `pipeline "${name}" failed: ${err.message} (execution ${err.executionId})`,
            { cause: err },
          );
        }
        throw err;
      } finally {
        await app.stop();
      }
    });
}

function parseInput(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new WfError("WF_ERR_USAGE", `--input is not valid JSON: ${(err as Error).message}`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new WfError("WF_ERR_USAGE", '--input must be a JSON object, e.g. \'{"name":"ada"}\'');
  }
  return value as Record<string, unknown>;
}

function triggerSummary(config: Readonly<Record<string, unknown>>): string {
  if (typeof config.path === "string") return `${String(config.method ?? "GET")} ${config.path}`;
  if (typeof config.cron === "string") return config.cron;
  if (typeof config.topic === "string") return config.topic;
  return "";
}
