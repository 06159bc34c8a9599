/**
 * The `wfctl` command line: argv → typed options → one library call → a view.
 * Each command group lives in its own file; this one wires them together and turns
 * every failure into an exit code and a message for a person.
 */
import { Command } from "commander";
import { registerBuildCommand } from "./build/build-command.js";
import { type CliIO, processIO, useColor } from "./cli-io.js";
import { registerExecutionsCommands } from "./engine/executions-command.js";
import { registerPipelineCommands } from "./engine/pipeline-command.js";
import { registerRunCommand } from "./engine/run-command.js";
import { ExitCode } from "./exit-codes.js";
import { addGlobalOptions } from "./global-options.js";
import { registerInfraCommands } from "./infra/infra-command.js";
import { registerMigrateCommands } from "./migrate/migrate-command.js";
import { registerPluginCommands } from "./plugins/plugin-command.js";
import { reportError } from "./report-error.js";
import { registerSchemaCommand } from "./schema-command.js";
import { registerTenantsCommands } from "./tenants/tenants-command.js";
import { registerValidateCommand } from "./validate-command.js";
import { wfctlVersion } from "./version.js";

export function buildProgram(io: CliIO, setExit: (code: number) => void): Command {
  const program = new Command("wfctl")
    .description("Workflow engine and infrastructure CLI: one YAML config for apps and infra.")
    .version(wfctlVersion, "-V, --version", "print the wfctl version")
    .showSuggestionAfterError()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .exitOverride()
    .addHelpText(
      "after",
      `
Exit codes: 0 success, 1 error, 2 changes/drift present (where a command says so), 3 lock held.

Examples:
  $ wfctl validate -c examples/app/wfctl.yaml
  $ wfctl schema > wfctl.schema.json`,
    );
  addGlobalOptions(program);
  registerValidateCommand(program, io, setExit);
  registerSchemaCommand(program, io);
  registerInfraCommands(program, io, setExit);
  registerMigrateCommands(program, io, setExit);
  registerRunCommand(program, io);
  registerPipelineCommands(program, io);
  registerExecutionsCommands(program, io);
  registerTenantsCommands(program, io);
  registerPluginCommands(program, io, setExit);
  registerBuildCommand(program, io, setExit);
  inheritOutputAndExit(program, program);
  return program;
}

/** Subcommands at every depth share the program's output routing and exit handling. */
function inheritOutputAndExit(program: Command, parent: Command): void {
  for (const command of parent.commands) {
    command.configureOutput(program.configureOutput()).exitOverride();
    inheritOutputAndExit(program, command);
  }
}

export async function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    if (argv.length === 0) {
      program.outputHelp();
      return ExitCode.error;
    }
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (err) {
    const flags = program.opts<{ json?: boolean; verbose?: boolean; color?: boolean }>();
    return reportError(err, io, {
      json: flags.json === true || argv.includes("--json"),
      verbose: flags.verbose === true || argv.includes("-v") || argv.includes("--verbose"),
      color: useColor(io.stderr, io.env, flags.color !== false),
    });
  }
}
