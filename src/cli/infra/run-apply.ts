import {
  type ApplyResult,
  actionStatusName,
  applyResultToJSON,
  type IaCPlan,
} from "../../contracts/index.js";
import { applyPlan, checkProtected } from "../../iac/apply/index.js";
import { waitHealthy } from "../../iac/operations/index.js";
import type { CliIO } from "../cli-io.js";
import { ExitCode } from "../exit-codes.js";
import type { GlobalOptions } from "../global-options.js";
import { InfraProgressView } from "../views/infra-progress-view.js";
import { renderPlan } from "../views/plan-view.js";
import { renderTable } from "../views/table.js";
import { confirmOrRefuse } from "./confirm.js";
import type { InfraSession } from "./infra-session.js";
import { interruptControl } from "./interrupts.js";
import { maskValues, type Sensitivity, sensitivityOf } from "./sensitivity.js";

export interface RunApplyOptions {
  readonly plan: IaCPlan;
  readonly providerOf: Readonly<Record<string, string>>;
  readonly pendingReferences?: readonly { resource: string; reference: string }[];
  readonly autoApprove: boolean;
  readonly dryRun: boolean;
  readonly parallelism?: number;
  readonly allowReplace: readonly string[];
  readonly showSensitive: boolean;
  /** "Apply" or "Destroy", for the prompt and the summary. */
  readonly verb: string;
  /** `apply --wait`: poll health of what was created or updated, up to this long. */
  readonly waitTimeoutMs?: number;
}

/**
 * The shared tail of apply and destroy: show the plan, check protected resources,
 * confirm, execute with live progress and Ctrl-C handling, then report. Returns the
 * exit code: 1 when any action failed.
 */
export async function runApply(
  session: InfraSession,
  globals: GlobalOptions,
  io: CliIO,
  options: RunApplyOptions,
): Promise<number> {
  const { plan } = options;
  const sensitive = await sensitivityOf(session, plan);
  if (!globals.json) {
    io.stdout.write(
      renderPlan(plan, {
        isSensitive: sensitive,
        showSensitive: options.showSensitive,
        ...(options.pendingReferences ? { pendingReferences: options.pendingReferences } : {}),
      }),
    );
  }
  if (options.dryRun) {
    if (globals.json) io.stdout.write(`${JSON.stringify(plan, null, 2)}\n`);
    return ExitCode.ok;
  }
  checkProtected(plan, options.allowReplace);
  if (plan.actions.length > 0) {
    await confirmOrRefuse(
      io,
      `\n${options.verb} ${plan.actions.length} action(s)?`,
      options.autoApprove,
    );
  }

  const progress = new InfraProgressView(io.stderr, plan.actions.length, globals.quiet);
  using interrupts = interruptControl(io.stderr);
  const result = await applyPlan({
    plan,
    providerOf: options.providerOf,
    providers: session.providers,
    store: session.store,
    ...(options.parallelism !== undefined ? { parallelism: options.parallelism } : {}),
    allowReplace: options.allowReplace,
    environ: io.env,
    signal: interrupts.signal,
    forceSignal: interrupts.forceSignal,
    onEvent: progress.onEvent,
  });
  if (plan.actions.length > 0)
    io.stderr.write(progress.summary(result.actions ?? [], options.verb));
  for (const drift of result.input_drift_report ?? []) {
    io.stderr.write(`warning: input ${drift.name} changed between plan and apply\n`);
  }
  const shown = options.showSensitive ? result : masked(result, sensitive);
  if (globals.json) io.stdout.write(`${JSON.stringify(applyResultToJSON(shown), null, 2)}\n`);
  else if (plan.actions.length > 0) io.stdout.write(`\n${outcomeTable(plan, result)}`);
  const failed = result.errors ?? [];
  if (failed.length > 0) {
    io.stderr.write(
      `Error: ${failed.length} resource(s) failed: ${failed.map((e) => `${e.action}/${e.resource}: ${e.error}`).join("; ")}\n`,
    );
    return ExitCode.error;
  }
  if (options.waitTimeoutMs !== undefined)
    return waitForHealth(session, io, plan, options.waitTimeoutMs);
  return ExitCode.ok;
}

/** Wait until every created, updated or replaced resource reports healthy; explain the ones that do not. */
async function waitForHealth(
  session: InfraSession,
  io: CliIO,
  plan: IaCPlan,
  timeoutMs: number,
): Promise<number> {
  const changed = new Set(
    plan.actions.filter((a) => a.action !== "delete").map((a) => a.resource.name),
  );
  const resources = (await session.store.listResources()).filter((r) => changed.has(r.name));
  if (resources.length === 0) return ExitCode.ok;
  io.stderr.write(`Waiting for ${resources.length} resource(s) to report healthy…\n`);
  const results = await waitHealthy({
    resources,
    providers: session.providers,
    timeoutMs,
    onResult: (r) => {
      if (r.healthy) io.stderr.write(`  ✓ ${r.name} healthy\n`);
      else io.stderr.write(`  ✗ ${r.name}: ${r.message}\n`);
      for (const d of r.diagnostics) {
        io.stderr.write(
          `      ${d.at} ${d.phase} ${d.id}: ${d.cause}${d.detail ? `\n        ${d.detail}` : ""}\n`,
        );
      }
    },
  });
  const unhealthy = results.filter((r) => !r.healthy);
  if (unhealthy.length === 0) return ExitCode.ok;
  io.stderr.write(
    `Error: ${unhealthy.length} resource(s) did not become healthy: ${unhealthy.map((r) => r.name).join(", ")}\n`,
  );
  return ExitCode.error;
}

/** One row per planned action: what was done to which resource, and how it ended. */
function outcomeTable(plan: IaCPlan, result: ApplyResult): string {
  const outcomes = new Map((result.actions ?? []).map((o) => [o.action_index, o]));
  return renderTable(
    ["RESOURCE", "TYPE", "ACTION", "STATUS"],
    plan.actions.map((a, index) => {
      const outcome = outcomes.get(index);
      return [
        a.resource.name,
        a.resource.type,
        a.action,
        outcome ? actionStatusName(outcome.status) : "unspecified",
      ];
    }),
  );
}

function masked(result: ApplyResult, sensitive: Sensitivity): ApplyResult {
  return {
    ...result,
    resources: result.resources.map((r) => ({
      ...r,
      outputs: maskValues(r.name, r.outputs, sensitive, r.sensitive),
    })),
  };
}
