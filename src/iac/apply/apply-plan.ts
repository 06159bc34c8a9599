import {
  type ActionError,
  type ActionOutcome,
  ActionStatus,
  type ApplyResult,
  type IaCPlan,
  type ResourceOutput,
  type ResourceState,
} from "../../contracts/index.js";
import { toError, WfError } from "../../diagnostics/index.js";
import { inputSnapshot } from "../hashing.js";
import { type IacEvent, type IacEventSink, ignoreEvents } from "../iac-events.js";
import type { ProviderSet } from "../provider-set.js";
import type { StateStore } from "../state/state-store.js";
import { actionDependencies } from "./action-dependencies.js";
import { type ActionResult, type RunContext, runAction } from "./action-runner.js";
import { DagCycleError, type DagSkip, executeDag } from "./dag-executor.js";
import { DriverResolver } from "./driver-resolver.js";
import { finalizeProviders } from "./finalize-providers.js";
import { inputDriftReport } from "./input-drift.js";
import { LiveOutputs } from "./live-outputs.js";
import { checkProtected } from "./protected-gate.js";

export const DEFAULT_PARALLELISM = 10;

export interface ApplyInput {
  readonly plan: IaCPlan;
  /**
   * Resource name → its `iac.provider` module. A resource missing here (one only
   * state still knows) falls back to the module its state record names.
   */
  readonly providerOf: Readonly<Record<string, string>>;
  readonly providers: ProviderSet;
  /** The caller holds the state lock for the whole apply. */
  readonly store: StateStore;
  /** Actions in flight at once; default {@link DEFAULT_PARALLELISM}. */
  readonly parallelism?: number;
  /** `--allow-replace`: protected resources that may be replaced or deleted. */
  readonly allowReplace?: readonly string[];
  /** Environment for `${VAR}` in apply-time keys, and for the input drift report. */
  readonly environ: Readonly<Record<string, string | undefined>>;
  /** Graceful stop (first Ctrl-C): nothing new starts; in-flight actions finish and are saved. */
  readonly signal?: AbortSignal;
  /**
   * Forced stop (second Ctrl-C): also passed to in-flight driver calls, and ends a
   * replace between its delete and its create. Implies the graceful stop.
   */
  readonly forceSignal?: AbortSignal;
  readonly onEvent?: IacEventSink;
}

/**
 * Applies a plan: a DAG walk over its actions (see {@link actionDependencies}) with at
 * most `parallelism` in flight, state saved after each action, then FinalizeApply and
 * the input drift report. Returns exactly one ActionOutcome per PlanAction, by index,
 * and an ActionError for every action that did not succeed (dependency skips
 * included) and every failed finalize: the apply failed when `errors` is non-empty.
 *
 * Throws, before anything is dispatched, for a protected resource not allowed
 * (WF_ERR_PROTECTED), a dependency cycle (WF_ERR_IAC) or unreadable state
 * (WF_ERR_STATE). Write-ahead intents left by a crashed run must be reconciled first
 * ({@link reconcileIntents}).
 */
export async function applyPlan(input: ApplyInput): Promise<ApplyResult> {
  const { plan, store, providers, environ } = input;
  const parallelism = input.parallelism ?? DEFAULT_PARALLELISM;
  if (!Number.isInteger(parallelism) || parallelism < 1) {
    throw new WfError(
      "WF_ERR_USAGE",
      `--parallelism must be a whole number ≥ 1, got ${parallelism}`,
    );
  }
  checkProtected(plan, input.allowReplace ?? []);
  const tasks = actionDependencies(plan.actions);
  const planSnapshot = plan.input_snapshot ?? {};
  const initialSnapshot = inputSnapshot(Object.keys(planSnapshot), environ);
  const states = await listState(store);
  const sink = input.onEvent ?? ignoreEvents;
  // A listener's failure must not change what the apply does (upstream recovers panics too).
  const emit = (event: IacEvent) => {
    try {
      sink(event);
    } catch {}
  };
  const background: Promise<void>[] = [];
  const ctx: RunContext = {
    store,
    drivers: new DriverResolver(providers, input.providerOf),
    live: new LiveOutputs(plan.actions, states),
    environ,
    states: new Map(states.map((s) => [s.name, s])),
    forceSignal: input.forceSignal,
    emit,
    now: () => new Date().toISOString(),
    background: (work) => background.push(work),
  };
  const stop = anySignal(input.signal, input.forceSignal);

  const outcomes: ActionOutcome[] = [];
  const outputs: (ResourceOutput | undefined)[] = [];
  const record = (index: number, result: ActionResult, elapsedMs: number) => {
    const action = plan.actions[index]!;
    outcomes[index] = {
      action_index: index,
      status: result.status,
      ...(result.error ? { error: result.error } : {}),
    };
    outputs[index] = result.output;
    emit({
      kind: "action:done",
      index,
      action: action.action,
      resource: action.resource.name,
      type: action.resource.type,
      status: result.status,
      ...(result.error ? { error: result.error } : {}),
      elapsedMs,
    });
  };
  const skipMessage = (skip: DagSkip) => {
    if (skip.state === "interrupted") return "skipped: apply interrupted";
    const root = plan.actions[skip.by]!.resource.name;
    const rootWasSkipped = outcomes[skip.by]?.status === ActionStatus.Skipped;
    return `skipped: dependency "${root}" ${rootWasSkipped ? "was skipped" : "failed"}`;
  };

  try {
    await executeDag(
      tasks,
      async (index) => {
        const action = plan.actions[index]!;
        const started = performance.now();
        emit({
          kind: "action:start",
          index,
          action: action.action,
          resource: action.resource.name,
          type: action.resource.type,
        });
        const result = await runAction(ctx, action).catch(
          (err: unknown): ActionResult => ({
            status: ActionStatus.Error,
            error: toError(err).message,
          }),
        );
        record(index, result, Math.round(performance.now() - started));
        return result.status === ActionStatus.Success;
      },
      {
        parallelism,
        ...(stop ? { signal: stop } : {}),
        onSkip: (index, skip) =>
          record(index, { status: ActionStatus.Skipped, error: skipMessage(skip) }, 0),
      },
    );
  } catch (err) {
    if (err instanceof DagCycleError) throw cycleError(plan, err);
    throw err;
  }
  await Promise.all(background);

  const errors: ActionError[] = outcomes.flatMap((o) =>
    o.status === ActionStatus.Success
      ? []
      : [
          {
            resource: plan.actions[o.action_index]!.resource.name,
            action: plan.actions[o.action_index]!.action,
            error: o.error ?? "failed",
          },
        ],
  );
  if (!stop?.aborted) {
    const finalizeErrors = await finalizeProviders(providers, plan.id);
    for (const e of finalizeErrors) {
      emit({ kind: "diagnostic", severity: "error", message: e.error });
    }
    errors.push(...finalizeErrors);
  }
  const replaceIdMap = ctx.live.replaceIdMap();
  return {
    plan_id: plan.id,
    resources: outputs.filter((o): o is ResourceOutput => o !== undefined),
    errors,
    initial_input_snapshot: initialSnapshot,
    input_drift_report: inputDriftReport(planSnapshot, initialSnapshot),
    ...(Object.keys(replaceIdMap).length > 0 ? { replace_id_map: replaceIdMap } : {}),
    actions: outcomes,
  };
}

async function listState(store: StateStore): Promise<ResourceState[]> {
  try {
    return await store.listResources();
  } catch (err) {
    throw new WfError(
      "WF_ERR_STATE",
      `could not read state at ${store.location}: ${toError(err).message}; nothing was applied`,
      { cause: err },
    );
  }
}

function cycleError(plan: IaCPlan, err: DagCycleError): WfError {
  const names = err.cycle.map((i) => `"${plan.actions[i]!.resource.name}"`);
  return new WfError(
    "WF_ERR_IAC",
    `dependency cycle detected involving resource ${names[0]}: ${[...names, names[0]].join(" → ")}; nothing was applied`,
  );
}

function anySignal(...signals: (AbortSignal | undefined)[]): AbortSignal | undefined {
  const present = signals.filter((s): s is AbortSignal => s !== undefined);
  return present.length <= 1 ? present[0] : AbortSignal.any(present);
}
