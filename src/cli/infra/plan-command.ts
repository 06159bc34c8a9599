import path from "node:path";
import type { Command } from "commander";
import { writePlanFile } from "../../iac/plan/index.js";
import type { CliIO } from "../cli-io.js";
import { ExitCode } from "../exit-codes.js";
import { parseDurationFlag, parseList } from "../flag-parsers.js";
import { resolveGlobalOptions } from "../global-options.js";
import { InfraProgressView } from "../views/infra-progress-view.js";
import { renderPlan, renderPlanDiagnostic } from "../views/plan-view.js";
import { failOnPlanDiagnostics, hasChanges, planSession } from "./infra-plan.js";
import { openInfraSession } from "./infra-session.js";
import { sensitivityOf } from "./sensitivity.js";

interface PlanFlags {
  out?: string;
  include?: string[];
  showSensitive?: boolean;
  detailedExitcode?: boolean;
  strict?: boolean;
  lockTimeout?: number;
}

export function registerPlanCommand(infra: Command, io: CliIO, setExit: (code: number) => void) {
  infra
    .command("plan")
    .description("show what apply would change: + create, ~ update, ± replace, - delete")
    .option("-o, --out <file>", "write the plan to FILE (mode 0600) for `infra apply --plan FILE`")
    .option("--include <names>", "only these resources (comma-separated)", parseList)
    .option("--show-sensitive", "print sensitive values instead of (sensitive)")
    .option("--detailed-exitcode", "exit 2 when the plan has changes, 0 when none")
    .option("--strict", "fail on provider validation warnings too")
    .option(
      "--lock-timeout <duration>",
      "wait this long for the state lock",
      parseDurationFlag("--lock-timeout"),
    )
    .addHelpText(
      "after",
      `
Examples:
  $ wfctl infra plan
  $ wfctl infra plan -o plan.json --include api,app-db
  $ wfctl infra plan --json --detailed-exitcode`,
    )
    .action(async (flags: PlanFlags, command: Command) => {
      const globals = resolveGlobalOptions(command, io);
      const progress = new InfraProgressView(io.stderr, 0, globals.quiet);
      await using session = await openInfraSession(globals, io, ["infra", "plan"], {
        lock: true,
        ...(flags.lockTimeout !== undefined ? { lockTimeoutMs: flags.lockTimeout } : {}),
        onEvent: progress.onEvent,
      });
      const result = await planSession(session, {
        ...(flags.include ? { include: flags.include } : {}),
        strict: flags.strict === true,
        environ: io.env,
        onEvent: progress.onEvent,
      });
      for (const d of result.diagnostics) io.stderr.write(`${renderPlanDiagnostic(d)}\n`);
      failOnPlanDiagnostics(result, flags.strict === true);
      await session.store.savePlan(result.plan);
      if (flags.out) {
        await writePlanFile(path.resolve(io.cwd, flags.out), result.plan, result.providerOf);
        io.stderr.write(
          `Plan written to ${flags.out} (apply it with: wfctl infra apply --plan ${flags.out})\n`,
        );
      }
      if (globals.json) {
        io.stdout.write(`${JSON.stringify(result.plan, null, 2)}\n`);
      } else {
        const sensitive = await sensitivityOf(session, result.plan);
        io.stdout.write(
          renderPlan(result.plan, {
            isSensitive: sensitive,
            showSensitive: flags.showSensitive === true,
            pendingReferences: result.pendingReferences,
          }),
        );
      }
      setExit(flags.detailedExitcode && hasChanges(result.plan) ? ExitCode.changes : ExitCode.ok);
    });
}
