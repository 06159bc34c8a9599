import path from "node:path";
import type { Command } from "commander";
import { findConfigFile } from "../../config/index.js";
import { WfError } from "../../diagnostics/index.js";
import { formatConformanceReport, runConformance } from "../../iac/conformance/index.js";
import { listPlugins, pluginDir, removePlugin } from "../../plugins/plugin-directory.js";
import { installPlugin } from "../../plugins/plugin-install.js";
import { readPluginManifest } from "../../plugins/plugin-manifest.js";
import { RemoteProvider } from "../../plugins/remote-provider.js";
import type { CliIO } from "../cli-io.js";
import { ExitCode } from "../exit-codes.js";
import { parseJsonObject } from "../flag-parsers.js";
import { type GlobalOptions, resolveGlobalOptions } from "../global-options.js";
import { renderTable } from "../views/table.js";

/** `wfctl plugin list | remove | install | conformance`: the plugin directory (docs/plugins.md). */
export function registerPluginCommands(
  program: Command,
  io: CliIO,
  setExit: (code: number) => void,
): void {
  const plugin = program
    .command("plugin")
    .description(
      "plugins: list | install PATH|TARBALL [--sha256 HEX] | remove NAME | conformance DIR",
    )
    .addHelpText("after", "\nExample:\n  $ wfctl plugin list --plugin-dir ./plugins");

  plugin
    .command("list")
    .description("the plugins in the plugin directory, and folders whose manifest is broken")
    .addHelpText("after", "\nExample:\n  $ wfctl plugin list --json")
    .action((_flags: unknown, command: Command) => {
      const globals = resolveGlobalOptions(command, io);
      const dir = directory(globals, io);
      const { plugins, broken } = listPlugins(dir);
      if (globals.json) {
        const doc = {
          version: 1,
          dir,
          plugins: plugins.map((p) => ({ ...p.manifest, dir: p.dir })),
          broken,
        };
        io.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
      } else if (plugins.length === 0) {
        io.stdout.write(`No plugins in ${dir}.\n`);
      } else {
        io.stdout.write(
          renderTable(
            ["NAME", "VERSION", "PROVIDES", "DIR"],
            plugins.map(({ manifest: m, dir: at }) => [
              m.name,
              m.version,
              [
                ...(m.iac ? [`iac provider ${m.iac.provider}`] : []),
                ...(m.hooks.length > 0 ? [`hooks ${m.hooks.map((h) => h.event).join(", ")}`] : []),
              ].join("; "),
              at,
            ]),
          ),
        );
      }
      for (const b of broken)
        io.stderr.write(`warning: ${b.dir} is not a usable plugin: ${b.error}\n`);
    });

  plugin
    .command("remove <name>")
    .description("remove an installed plugin")
    .addHelpText("after", "\nExample:\n  $ wfctl plugin remove fakecloud")
    .action((name: string, _flags: unknown, command: Command) => {
      const globals = resolveGlobalOptions(command, io);
      const dir = directory(globals, io);
      removePlugin(dir, name);
      if (globals.json)
        io.stdout.write(`${JSON.stringify({ version: 1, removed: name, dir }, null, 2)}\n`);
      else if (!globals.quiet) io.stdout.write(`Removed plugin ${name} from ${dir}.\n`);
    });

  plugin
    .command("conformance <dir>")
    .description("run the IaC provider conformance kit against the plugin in DIR")
    .option(
      "--live",
      "let scenarios create, change and delete resources (costs money on a real cloud)",
    )
    .option(
      "--provider-config <json>",
      "the provider config given to initialize (a JSON object)",
      parseJsonObject("--provider-config"),
    )
    .option("--smoke", "only the smoke scenarios")
    .addHelpText("after", "\nExample:\n  $ wfctl plugin conformance ./plugins/fakecloud --live")
    .action(
      async (
        dir: string,
        flags: { live?: boolean; providerConfig?: Record<string, unknown>; smoke?: boolean },
        command: Command,
      ) => {
        const globals = resolveGlobalOptions(command, io);
        const folder = path.resolve(io.cwd, dir);
        const plugin = { dir: folder, manifest: readPluginManifest(folder) };
        if (!plugin.manifest.iac) {
          throw new WfError(
            "WF_ERR_PLUGIN",
            `plugin "${plugin.manifest.name}" provides no IaC provider (no "iac" in its plugin.json)`,
          );
        }
        const report = await runConformance({
          provider: () =>
            new RemoteProvider(plugin, {
              ...(globals.verbose
                ? {
                    onStderr: (line: string) =>
                      io.stderr.write(`[${plugin.manifest.name}] ${line}\n`),
                  }
                : {}),
            }),
          ...(flags.providerConfig ? { providerConfig: flags.providerConfig } : {}),
          liveCloud: flags.live === true,
          smokeOnly: flags.smoke === true,
        });
        if (globals.json)
          io.stdout.write(`${JSON.stringify({ version: 1, ...report }, null, 2)}\n`);
        else io.stdout.write(`${formatConformanceReport(report)}\n`);
        if (report.failed > 0) setExit(ExitCode.error);
      },
    );

  plugin
    .command("install <source>")
    .description("install a plugin from a folder or tarball, checked before anything is written")
    .option("--sha256 <hex>", "the tarball's expected sha256 (checked before anything is written)")
    .addHelpText(
      "after",
      "\nExample:\n  $ wfctl plugin install ./fakecloud-1.2.0.tgz --sha256 3f2a…",
    )
    .action(async (source: string, flags: { sha256?: string }, command: Command) => {
      const globals = resolveGlobalOptions(command, io);
      const dir = directory(globals, io);
      const {
        plugin: installed,
        sha256,
        replaced,
      } = await installPlugin(path.resolve(io.cwd, source), {
        dir,
        ...(flags.sha256 ? { sha256: flags.sha256 } : {}),
        onWarning: (f) =>
          io.stderr.write(`warning: ${f.event}: plugin ${f.plugin}: ${f.message}\n`),
      });
      const m = installed.manifest;
      if (globals.json) {
        io.stdout.write(
          `${JSON.stringify({ version: 1, installed: { ...m, dir: installed.dir }, sha256: sha256 ?? null, replaced }, null, 2)}\n`,
        );
        return;
      }
      if (sha256 !== undefined && !flags.sha256 && !globals.quiet) {
        io.stderr.write(
          `warning: not verified: ${source} has sha256 ${sha256}; pass --sha256 to check it\n`,
        );
      }
      if (!globals.quiet) {
        io.stdout.write(
          `${replaced ? "Replaced" : "Installed"} plugin ${m.name} ${m.version} in ${installed.dir}.\n`,
        );
      }
    });
}

/** The plugin directory: --plugin-dir, $WFCTL_PLUGIN_DIR, or beside the config (or here). */
function directory(globals: GlobalOptions, io: CliIO): string {
  const configFile = globals.configFile ?? findConfigFile(io.cwd);
  return pluginDir({
    flag: globals.pluginDir,
    env: io.env,
    configDir: configFile ? path.dirname(configFile) : io.cwd,
    cwd: io.cwd,
  });
}
