import type { Command } from "commander";
import { destroyPlan } from "../../iac/operations/index.js";
import type { CliIO } from "../cli-io.js";
import { parseDurationFlag, parseList, parsePositiveInt } from "../flag-parsers.js";
import { resolveGlobalOptions } from "../global-options.js";
import { InfraProgressView } from "../views/infra-progress-view.js";
import { openInfraSession } from "./infra-session.js";
import { runApply } from "./run-apply.js";

interface DestroyFlags {
  autoApprove?: boolean;
  parallelism?: number;
  lockTimeout?: number;
  include?: string[];
  allowReplace?: string[];
  dryRun?: boolean;
  deleteData?: boolean;
}

export function registerDestroyCommand(infra: Command, io: CliIO, setExit: (code: number) => void) {
  infra
    .command("destroy")
    .description("delete every resource in state, dependents first")
    .option("-y, --auto-approve", "do not ask for confirmation")
    .option("--include <names>", "only these resources and what depends on them", parseList)
    .option(
      "--parallelism <n>",
      "deletes in flight at once (default 10)",
      parsePositiveInt("--parallelism"),
    )
    .option(
      "--lock-timeout <duration>",
      "wait this long for the state lock",
      parseDurationFlag("--lock-timeout"),
    )
    .option("--allow-replace <names>", "allow deleting these protected resources", parseList)
    .option("--dry-run", "show what would be deleted and stop")
    .option(
      "--delete-data",
      "also delete databases' data (kept by default, so a new database of the same name finds it)",
    )
    .addHelpText(
      "after",
      `
A resource whose delete fails stays in state; the rest are removed.

Examples:
  $ wfctl infra destroy
  $ wfctl infra destroy -y --include api`,
    )
    .action(async (flags: DestroyFlags, command: Command) => {
      const globals = resolveGlobalOptions(command, io);
      await using session = await openInfraSession(globals, io, ["infra", "destroy"], {
        lock: true,
        ...(flags.lockTimeout !== undefined ? { lockTimeoutMs: flags.lockTimeout } : {}),
        onEvent: new InfraProgressView(io.stderr, 0, globals.quiet).onEvent,
        ...(flags.deleteData ? { providerConfig: { delete_data: true } } : {}),
      });
      const planned = destroyPlan(await session.store.listResources(), {
        ...(flags.include ? { include: flags.include } : {}),
      });
      setExit(
        await runApply(session, globals, io, {
          plan: planned.plan,
          providerOf: planned.providerOf,
          autoApprove: flags.autoApprove === true,
          dryRun: flags.dryRun === true,
          ...(flags.parallelism !== undefined ? { parallelism: flags.parallelism } : {}),
          allowReplace: flags.allowReplace ?? [],
          showSensitive: false,
          verb: "Destroy",
        }),
      );
    });
}
