import type { Command } from "commander";
import { nearestName } from "../../config/index.js";
import { WfError } from "../../diagnostics/index.js";
import {
  bootstrapStateBackend,
  cleanupByTag,
  importResource,
  scaleResource,
} from "../../iac/operations/index.js";
import type { CliIO } from "../cli-io.js";
import { parseDurationFlag } from "../flag-parsers.js";
import { type GlobalOptions, resolveGlobalOptions } from "../global-options.js";
import { commandSession, type SessionOptions } from "./infra-session.js";

/** Commands that adopt, scale or clean up resources outside a plan, and bootstrap state. */
export function registerMaintenanceCommands(
  infra: Command,
  io: CliIO,
  setExit: (code: number) => void,
) {
  const session = (globals: GlobalOptions, argv: string[], options: Partial<SessionOptions> = {}) =>
    commandSession(globals, io, argv, { lock: true, ...options });

  infra
    .command("import")
    .description("adopt an existing resource into state under a resource name of the config")
    .requiredOption("--name <name>", "the config's resource name")
    .option(
      "--id <id>",
      "the provider's ID of the resource (else the driver locates it by its spec)",
    )
    .option(
      "--lock-timeout <duration>",
      "wait this long for the state lock",
      parseDurationFlag("--lock-timeout"),
    )
    .addHelpText(
      "after",
      "\nExamples:\n  $ wfctl infra import --name app-db --id 1f0c…\n  $ wfctl infra import --name api",
    )
    .action(
      async (flags: { name: string; id?: string; lockTimeout?: number }, command: Command) => {
        const globals = resolveGlobalOptions(command, io);
        await using s = await session(globals, ["infra", "import", "--name", flags.name], {
          ...(flags.lockTimeout !== undefined ? { lockTimeoutMs: flags.lockTimeout } : {}),
        });
        const desired = s.infra.resources.find((r) => r.spec.name === flags.name);
        if (!desired) {
          const names = s.infra.resources.map((r) => r.spec.name);
          const near = nearestName(flags.name, names);
          throw new WfError(
            "WF_ERR_USAGE",
            `--name ${flags.name}: the config declares no such resource${near ? ` (did you mean "${near}"?)` : names.length > 0 ? ` (declared: ${names.join(", ")})` : ""}`,
          );
        }
        const state = await importResource({
          desired,
          ...(flags.id !== undefined ? { id: flags.id } : {}),
          providers: s.providers,
          store: s.store,
        });
        io.stdout.write(
          globals.json
            ? `${JSON.stringify({ name: state.name, type: state.type, provider: state.provider, provider_id: state.provider_id })}\n`
            : `Imported "${state.name}" (${state.type}) id=${state.provider_id} provider=${state.provider}\n`,
        );
      },
    );

  infra
    .command("scale <name> <replicas>")
    .description("scale a resource now (the config stays the source of truth for the next apply)")
    .addHelpText("after", "\nExample:\n  $ wfctl infra scale api 4")
    .action(async (name: string, replicasText: string, _flags: unknown, command: Command) => {
      const globals = resolveGlobalOptions(command, io);
      const replicas = Number(replicasText);
      if (!Number.isInteger(replicas) || replicas < 0) {
        throw new WfError(
          "WF_ERR_USAGE",
          `replicas must be a whole number of 0 or more, got "${replicasText}"`,
        );
      }
      await using s = await session(globals, ["infra", "scale", name, replicasText]);
      const state = await scaleResource({ name, replicas, providers: s.providers, store: s.store });
      io.stdout.write(
        globals.json
          ? `${JSON.stringify(state.outputs)}\n`
          : `Scaled ${name} to ${replicas} replica(s).\n`,
      );
    });

  infra
    .command("cleanup")
    .description(
      "find resources carrying a tag through each provider's Enumerator; delete them with --fix",
    )
    .requiredOption("--tag <tag>", "the tag to look for")
    .option("--fix", "delete what is found (default: dry run)")
    .addHelpText(
      "after",
      "\nExamples:\n  $ wfctl infra cleanup --tag ci-run-42\n  $ wfctl infra cleanup --tag ci-run-42 --fix",
    )
    .action(async (flags: { tag: string; fix?: boolean }, command: Command) => {
      const globals = resolveGlobalOptions(command, io);
      await using s = await session(globals, ["infra", "cleanup", "--tag", flags.tag], {
        lock: false,
      });
      const reports = await cleanupByTag({
        tag: flags.tag,
        providers: s.providers,
        fix: flags.fix === true,
      });
      if (globals.json) {
        io.stdout.write(`${JSON.stringify(reports, null, 2)}\n`);
      } else {
        for (const r of reports) {
          if (r.skipped) {
            io.stdout.write(`skipped ${r.provider}: ${r.skipped}\n`);
            continue;
          }
          for (const ref of r.found) {
            const verb = flags.fix
              ? r.deleted.includes(ref.name)
                ? "deleted"
                : "not deleted"
              : "[dry-run] would delete";
            io.stdout.write(`${verb} ${ref.type}/${ref.name} (provider: ${r.provider})\n`);
          }
          for (const e of r.errors)
            io.stderr.write(
              `error: ${r.provider}: ${e.resource ? `${e.resource}: ` : ""}${e.message}\n`,
            );
        }
      }
      if (reports.some((r) => r.errors.length > 0)) setExit(1);
    });

  infra
    .command("bootstrap")
    .description(
      "make sure the state backend exists (providers create buckets for remote backends)",
    )
    .addHelpText("after", "\nExample:\n  $ wfctl infra bootstrap")
    .action(async (_flags: unknown, command: Command) => {
      const globals = resolveGlobalOptions(command, io);
      await using s = await session(globals, ["infra", "bootstrap"], { lock: false });
      const report = await bootstrapStateBackend({
        stateModuleConfig: s.infra.state?.config,
        providers: s.providers,
      });
      if (globals.json) {
        io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        return;
      }
      if (report.note) io.stdout.write(`${report.note}\n`);
      for (const { provider, result } of report.results) {
        if (!result) continue;
        io.stdout.write(`# ${provider}: bucket ${result.bucket ?? "(none)"}\n`);
        for (const [k, v] of Object.entries(result.env_vars ?? {}))
          io.stdout.write(`export ${k}=${v}\n`);
      }
    });
}
