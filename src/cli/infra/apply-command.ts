import path from "node:path";
import type { Command } from "commander";
import { WfError } from "../../diagnostics/index.js";
import { refreshState } from "../../iac/operations/index.js";
import { readPlanFile, verifySavedPlan } from "../../iac/plan/index.js";
import type { CliIO } from "../cli-io.js";
import { parseDurationFlag, parseList, parsePositiveInt } from "../flag-parsers.js";
import { resolveGlobalOptions } from "../global-options.js";
import { InfraProgressView } from "../views/infra-progress-view.js";
import { renderPlanDiagnostic } from "../views/plan-view.js";
import { failOnPlanDiagnostics, planSession } from "./infra-plan.js";
import { openInfraSession } from "./infra-session.js";
import { runApply } from "./run-apply.js";

interface ApplyFlags {
  autoApprove?: boolean;
  plan?: string;
  dryRun?: boolean;
  refresh?: boolean;
  allowProtectedPrune?: boolean;
  parallelism?: number;
  lockTimeout?: number;
  allowReplace?: string[];
  include?: string[];
  showSensitive?: boolean;
  strict?: boolean;
  wait?: boolean;
  waitTimeout?: number;
}

export function registerApplyCommand(infra: Command, io: CliIO, setExit: (code: number) => void) {
  infra
    .command("apply")
    .description("make the infrastructure match the config (or a saved plan), in dependency order")
    .option("-y, --auto-approve", "do not ask for confirmation")
    .option("--plan <file>", "apply a plan written by `infra plan -o` (refused if stale)")
    .option("--dry-run", "show the plan and stop")
    .option(
      "--refresh",
      "re-read every resource first and prune ghosts (resources gone from the cloud)",
    )
    .option("--allow-protected-prune", "with --refresh: also prune protected ghosts")
    .option(
      "--parallelism <n>",
      "actions in flight at once (default 10)",
      parsePositiveInt("--parallelism"),
    )
    .option(
      "--lock-timeout <duration>",
      "wait this long for the state lock",
      parseDurationFlag("--lock-timeout"),
    )
    .option(
      "--allow-replace <names>",
      "allow replacing or deleting these protected resources",
      parseList,
    )
    .option("--include <names>", "only these resources (comma-separated)", parseList)
    .option("--show-sensitive", "print sensitive values instead of (sensitive)")
    .option("--strict", "fail on provider validation warnings too")
    .option("--wait", "after applying, wait until changed resources report healthy")
    .option(
      "--wait-timeout <duration>",
      "with --wait: give up after this long (default 10m)",
      parseDurationFlag("--wait-timeout"),
    )
    .addHelpText(
      "after",
      `
Exits 1 if any action failed (the others still ran; state records every success).
Without -y, asks for a typed 'yes' on a terminal and refuses without one.

Examples:
  $ wfctl infra apply
  $ wfctl infra apply -y --parallelism 4
  $ wfctl infra plan -o plan.json && wfctl infra apply --plan plan.json -y`,
    )
    .action(async (flags: ApplyFlags, command: Command) => {
      const globals = resolveGlobalOptions(command, io);
      if (flags.plan && flags.include) {
        throw new WfError(
          "WF_ERR_USAGE",
          "--include cannot be combined with --plan: the plan file already records its scope",
        );
      }
      if (flags.allowProtectedPrune && !flags.refresh) {
        throw new WfError("WF_ERR_USAGE", "--allow-protected-prune only applies with --refresh");
      }
      const events = new InfraProgressView(io.stderr, 0, globals.quiet).onEvent;
      await using session = await openInfraSession(globals, io, ["infra", "apply"], {
        lock: true,
        ...(flags.lockTimeout !== undefined ? { lockTimeoutMs: flags.lockTimeout } : {}),
        onEvent: events,
      });
      if (flags.refresh) {
        const refreshed = await refreshState({
          providers: session.providers,
          store: session.store,
          prune: true,
          allowProtectedPrune: flags.allowProtectedPrune === true,
          onEvent: events,
        });
        for (const name of refreshed.pruned)
          io.stderr.write(`pruned ghost ${name} from state (gone from its provider)\n`);
      }

      let planned: Parameters<typeof runApply>[3]["plan"];
      let providerOf: Readonly<Record<string, string>>;
      let pendingReferences: readonly { resource: string; reference: string }[] = [];
      if (flags.plan) {
        const saved = await readPlanFile(path.resolve(io.cwd, flags.plan));
        await verifySavedPlan(saved.plan, {
          desired: session.infra.resources,
          state: await session.store.listResources(),
          providers: session.providers,
          environ: io.env,
          envVarNames: session.config.envVarsRead,
        });
        planned = saved.plan;
        providerOf = saved.providerOf;
      } else {
        const result = await planSession(session, {
          ...(flags.include ? { include: flags.include } : {}),
          strict: flags.strict === true,
          environ: io.env,
          onEvent: events,
        });
        for (const d of result.diagnostics) io.stderr.write(`${renderPlanDiagnostic(d)}\n`);
        failOnPlanDiagnostics(result, flags.strict === true);
        planned = result.plan;
        providerOf = result.providerOf;
        pendingReferences = result.pendingReferences;
      }
      await session.store.savePlan(planned);
      setExit(
        await runApply(session, globals, io, {
          plan: planned,
          providerOf,
          pendingReferences,
          autoApprove: flags.autoApprove === true,
          dryRun: flags.dryRun === true,
          ...(flags.parallelism !== undefined ? { parallelism: flags.parallelism } : {}),
          allowReplace: flags.allowReplace ?? [],
          showSensitive: flags.showSensitive === true,
          verb: "Apply",
          ...(flags.wait || flags.waitTimeout !== undefined
            ? { waitTimeoutMs: flags.waitTimeout ?? 600_000 }
            : {}),
        }),
      );
    });
}
