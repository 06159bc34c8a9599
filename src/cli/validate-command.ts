import path from "node:path";
import type { Command } from "commander";
import { hasErrors, sortDiagnostics } from "../diagnostics/index.js";
import type { CliIO } from "./cli-io.js";
import { loadCommandConfig, resolveConfigFile } from "./command-config.js";
import { diagnosticJson, plural, writeDiagnostics } from "./diagnostics-output.js";
import { checkEngineApp } from "./engine/engine-app.js";
import { ExitCode } from "./exit-codes.js";
import { resolveGlobalOptions } from "./global-options.js";

export function registerValidateCommand(
  program: Command,
  io: CliIO,
  setExit: (code: number) => void,
) {
  program
    .command("validate")
    .description("load and validate the config: every error, each as FILE:LINE:COL: message")
    .addHelpText(
      "after",
      `
Exits 0 when the config is valid, 1 when it is not (all errors are listed at once).

Examples:
  $ wfctl validate -c examples/app/wfctl.yaml
  $ wfctl validate --env production --json`,
    )
    .action(async (_opts: unknown, command: Command) => {
      const globals = resolveGlobalOptions(command, io);
      const file = resolveConfigFile(globals, io);
      const loaded = await loadCommandConfig({ ...globals, configFile: file }, io);
      // A config that loads must also build: templates, step configs, routes, crons.
      const built = loaded.config ? await checkEngineApp(loaded.config) : [];
      const result =
        built.length > 0
          ? { diagnostics: sortDiagnostics([...loaded.diagnostics, ...built]) }
          : loaded;
      const errors = result.diagnostics.filter((d) => d.severity === "error");
      const warnings = result.diagnostics.filter((d) => d.severity === "warning");
      const shownFile = path.relative(io.cwd, file) || file;
      const valid = !hasErrors(result.diagnostics);

      if (globals.json) {
        const doc = {
          version: 1,
          valid,
          file: shownFile,
          errors: errors.map(diagnosticJson),
          warnings: warnings.map(diagnosticJson),
          ...(result.config
            ? {
                summary: {
                  modules: result.config.modules.length,
                  pipelines: Object.keys(result.config.pipelines).length,
                },
              }
            : {}),
        };
        io.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
      } else {
        writeDiagnostics(io.stderr, globals.quiet ? errors : result.diagnostics, globals.color);
        if (result.config) {
          if (!globals.quiet) {
            const { modules, pipelines } = result.config;
            const counts = `${plural(modules.length, "module")}, ${plural(Object.keys(pipelines).length, "pipeline")}`;
            const warned = warnings.length > 0 ? ` (${plural(warnings.length, "warning")})` : "";
            io.stdout.write(`${shownFile} is valid: ${counts}${warned}\n`);
          }
        } else {
          io.stderr.write(`Error: ${shownFile} is not valid: ${plural(errors.length, "error")}\n`);
        }
      }
      setExit(valid ? ExitCode.ok : ExitCode.error);
    });
}
