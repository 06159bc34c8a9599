import type { Command } from "commander";
import type { WorkflowConfig } from "../../config/index.js";
import { WfError } from "../../diagnostics/index.js";
import type { SqlDatabase } from "../../engine/database/sql-database.js";
import {
  type ExecutionStatus,
  getExecution,
  listExecutions,
} from "../../engine/execution-store/index.js";
import type { CliIO } from "../cli-io.js";
import { loadValidConfig } from "../command-config.js";
import { parsePositiveInt } from "../flag-parsers.js";
import { resolveGlobalOptions } from "../global-options.js";
import { renderTable } from "../views/table.js";
import { withConfigDatabase } from "./config-database.js";

/** `wfctl executions list | show ID`: the config's execution store, read directly. */
export function registerExecutionsCommands(program: Command, io: CliIO): void {
  const executions = program
    .command("executions")
    .description("execution history: list [--pipeline P] [--status S] | show ID")
    .addHelpText(
      "after",
      "\nExample:\n  $ wfctl executions list --pipeline create-order --status failed",
    );

  executions
    .command("list")
    .description("recent executions, newest first")
    .option("--pipeline <name>", "only this pipeline's")
    .option("--status <status>", "running, completed, failed or cancelled")
    .option("--limit <n>", "at most this many (default 20)", parsePositiveInt("--limit"))
    .option("--before <time>", "only those started before this ISO time (the next page)")
    .addHelpText("after", "\nExample:\n  $ wfctl executions list --status failed --limit 5")
    .action(
      async (
        flags: { pipeline?: string; status?: string; limit?: number; before?: string },
        command: Command,
      ) => {
        const globals = resolveGlobalOptions(command, io);
        await withStore(await loadValidConfig(globals, io), async (db) => {
          const rows = await listExecutions(db, {
            ...(flags.pipeline ? { pipeline: flags.pipeline } : {}),
            ...(flags.status ? { status: flags.status as ExecutionStatus } : {}),
            ...(flags.limit ? { limit: flags.limit } : {}),
            ...(flags.before ? { before: flags.before } : {}),
          });
          if (globals.json) {
            io.stdout.write(`${JSON.stringify({ version: 1, executions: rows }, null, 2)}\n`);
          } else if (rows.length === 0) {
            io.stdout.write("No executions recorded.\n");
          } else {
            io.stdout.write(
              renderTable(
                ["ID", "PIPELINE", "STATUS", "STARTED", "DURATION", "ERROR"],
                rows.map((r) => [
                  r.id,
                  r.pipeline,
                  r.status,
                  r.started_at,
                  r.duration_ms === null ? "" : `${r.duration_ms} ms`,
                  r.error ?? "",
                ]),
              ),
            );
          }
        });
      },
    );

  executions
    .command("show <id>")
    .description("one execution: its trigger data, steps, output or error, and events")
    .addHelpText("after", "\nExample:\n  $ wfctl executions show 3f2a9c1e-… --json")
    .action(async (id: string, _flags: unknown, command: Command) => {
      const globals = resolveGlobalOptions(command, io);
      await withStore(await loadValidConfig(globals, io), async (db) => {
        const detail = await getExecution(db, id);
        if (!detail)
          throw new WfError("WF_ERR_CONFIG_REFERENCE", `no execution ${id} in the execution store`);
        if (globals.json) {
          io.stdout.write(`${JSON.stringify({ version: 1, ...detail }, null, 2)}\n`);
          return;
        }
        const e = detail.execution;
        io.stdout.write(
          `Execution ${e.id}\nPipeline:  ${e.pipeline}\nStatus:    ${e.status}\nTrigger:   ${e.trigger_type ?? ""}\nStarted:   ${e.started_at}\nDuration:  ${e.duration_ms ?? ""} ms\n${e.error ? `Error:     ${e.error}\n` : ""}${e.data_recorded ? "" : "Data:      not recorded (the store's record_data setting)\n"}\n`,
        );
        io.stdout.write(
          renderTable(
            ["#", "STEP", "TYPE", "STATUS", "DURATION", "ERROR"],
            detail.steps.map((s) => [
              String(s.sequence_num),
              s.step_name,
              s.step_type ?? "",
              s.status,
              s.duration_ms === null ? "" : `${s.duration_ms} ms`,
              s.error ?? "",
            ]),
          ),
        );
      });
    });
}

/** Opens the database of the config's execution.store module for reading. */
async function withStore(
  config: WorkflowConfig,
  fn: (db: SqlDatabase) => Promise<void>,
): Promise<void> {
  const store = config.modules.find((m) => m.type === "execution.store");
  if (!store) {
    throw new WfError(
      "WF_ERR_CONFIG_REFERENCE",
      `${config.file} has no execution.store module, so nothing is recorded; add one`,
    );
  }
  const database = String(store.config.database);
  await withConfigDatabase(config, database, `execution.store "${store.name}"`, async (db) => {
    try {
      await fn(db);
    } catch (err) {
      if (WfError.is(err) || !/no such table|does not exist/.test((err as Error).message))
        throw err;
      throw new WfError(
        "WF_ERR_DATABASE",
        `database "${database}" has no execution store tables yet: \`wfctl run\` creates them when it starts`,
        { cause: err },
      );
    }
  });
}
