import type { Command } from "commander";
import { stringify as toYaml } from "yaml";
import type { DriftResult } from "../../contracts/index.js";
import { WfError } from "../../diagnostics/index.js";
import { collectOutputs, detectDrift, resourceStatuses } from "../../iac/operations/index.js";
import { shellQuote } from "../../shell-quote.js";
import type { CliIO } from "../cli-io.js";
import { ExitCode } from "../exit-codes.js";
import { type GlobalOptions, resolveGlobalOptions } from "../global-options.js";
import { renderTable } from "../views/table.js";
import { commandSession, type SessionOptions } from "./infra-session.js";
import { maskValues, type Sensitivity, sensitivityOf } from "./sensitivity.js";

/** Read-only views of infrastructure: live status, drift, and outputs from state. */
export function registerInspectCommands(
  infra: Command,
  io: CliIO,
  setExit: (code: number) => void,
) {
  const session = (globals: GlobalOptions, argv: string[], options: Partial<SessionOptions> = {}) =>
    commandSession(globals, io, argv, { lock: false, ...options });

  infra
    .command("status")
    .description("live status of every resource in state, as its provider reports it")
    .addHelpText("after", "\nExamples:\n  $ wfctl infra status\n  $ wfctl infra status --json")
    .action(async (_flags: unknown, command: Command) => {
      const globals = resolveGlobalOptions(command, io);
      await using s = await session(globals, ["infra", "status"]);
      const state = await s.store.listResources();
      const report = await resourceStatuses({ providers: s.providers, store: s.store, state });
      for (const w of report.warnings) io.stderr.write(`warning: ${w}\n`);
      if (globals.json) {
        const sensitive = await sensitivityOf(s, state);
        const statuses = report.statuses.map((r) => ({
          ...r,
          outputs: maskValues(r.name, r.outputs, sensitive),
        }));
        io.stdout.write(`${JSON.stringify(statuses, null, 2)}\n`);
      } else if (report.statuses.length === 0) {
        io.stdout.write("No resources in state.\n");
      } else {
        io.stdout.write(
          renderTable(
            ["NAME", "TYPE", "STATUS", "PROVIDER ID"],
            report.statuses.map((r) => [r.name, r.type, r.status, r.provider_id]),
          ),
        );
      }
    });

  infra
    .command("drift")
    .description("compare state with what really exists: in-sync, ghost (gone) or config (changed)")
    .addHelpText(
      "after",
      "\nExits 2 when anything drifted.\n\nExamples:\n  $ wfctl infra drift\n  $ wfctl infra drift --json",
    )
    .action(async (_flags: unknown, command: Command) => {
      const globals = resolveGlobalOptions(command, io);
      // Drift records last_drift_check in state, so it takes the lock.
      await using s = await session(globals, ["infra", "drift"], { lock: true });
      const results = await detectDrift({ providers: s.providers, store: s.store });
      const sensitive = await sensitivityOf(s, await s.store.listResources());
      if (globals.json) {
        io.stdout.write(
          `${JSON.stringify(
            results.map((r) => maskDrift(r, sensitive)),
            null,
            2,
          )}\n`,
        );
      } else {
        for (const r of results) io.stdout.write(renderDrift(maskDrift(r, sensitive)));
        if (results.length === 0) io.stdout.write("No resources in state.\n");
      }
      if (results.some((r) => r.drifted)) {
        io.stderr.write(
          "drift detected — run 'wfctl infra apply --refresh' to prune ghosts and reconcile\n",
        );
        setExit(ExitCode.changes);
      }
    });

  infra
    .command("outputs")
    .description("outputs of resources from state; sensitive values masked unless asked")
    .option("--format <format>", "table | json | yaml | env", "table")
    .option("--show-sensitive", "print sensitive values")
    .addHelpText(
      "after",
      '\nExamples:\n  $ wfctl infra outputs\n  $ eval "$(wfctl infra outputs --format env --show-sensitive)"',
    )
    .action(async (flags: { format: string; showSensitive?: boolean }, command: Command) => {
      const globals = resolveGlobalOptions(command, io);
      const format = globals.json ? "json" : flags.format;
      if (!["table", "json", "yaml", "env"].includes(format)) {
        throw new WfError(
          "WF_ERR_USAGE",
          `--format must be table, json, yaml or env, got "${format}"`,
        );
      }
      await using s = await session(globals, ["infra", "outputs"]);
      const outputs = await collectOutputs(await s.store.listResources(), {
        showSensitive: flags.showSensitive === true,
        providers: s.providers,
      });
      io.stdout.write(renderOutputs(outputs, format));
    });
}

function maskDrift(r: DriftResult, sensitive: Sensitivity): DriftResult {
  return {
    ...r,
    ...(r.expected ? { expected: maskValues(r.name, r.expected, sensitive) } : {}),
    ...(r.actual ? { actual: maskValues(r.name, r.actual, sensitive) } : {}),
  };
}

function renderDrift(r: DriftResult): string {
  const label =
    r.class === "ghost"
      ? "GHOST"
      : r.class === "config"
        ? "CONFIG"
        : r.drifted
          ? "DRIFT"
          : "IN-SYNC";
  const lines = [`${label.padEnd(8)} ${r.name} (${r.type})`];
  for (const field of r.fields ?? []) {
    lines.push(
      `           ${field}: expected=${JSON.stringify(r.expected?.[field] ?? null)} actual=${JSON.stringify(r.actual?.[field] ?? null)}`,
    );
  }
  return `${lines.join("\n")}\n`;
}

function renderOutputs(outputs: Record<string, Record<string, unknown>>, format: string): string {
  if (format === "json") return `${JSON.stringify(outputs, null, 2)}\n`;
  if (format === "yaml") return toYaml(outputs);
  const rows = Object.entries(outputs).flatMap(([name, values]) =>
    Object.entries(values).map(([key, value]) => [
      name,
      key,
      typeof value === "string" ? value : JSON.stringify(value),
    ]),
  );
  if (format === "env") {
    const envName = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]/g, "_");
    return rows
      .map(([name, key, value]) => `${envName(`${name}_${key}`)}=${shellQuote(value ?? "")}\n`)
      .join("");
  }
  return rows.length === 0
    ? "No outputs in state.\n"
    : renderTable(["RESOURCE", "OUTPUT", "VALUE"], rows as string[][]);
}
