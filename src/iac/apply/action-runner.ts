import {
  ActionStatus,
  type CallOptions,
  ErrForbidden,
  ErrImageNotInRegistry,
  ErrProviderMethodUnimplemented,
  ErrResourceAlreadyExists,
  ErrResourceNotFound,
  ErrUnauthorized,
  ErrValidation,
  errorIs,
  isResourceReplacer,
  isUpsertSupporter,
  type PlanAction,
  type ResourceDriver,
  type ResourceOutput,
  type ResourceRef,
  type ResourceSpec,
  type ResourceState,
} from "../../contracts/index.js";
import { toError } from "../../diagnostics/index.js";
import type { IacEventSink } from "../iac-events.js";
import { resolveReferences } from "../references.js";
import type { StateStore } from "../state/state-store.js";
import { appliedRecord } from "./applied-record.js";
import { deleteCreated } from "./compensate.js";
import { defaultReplace, ReplaceError, replacerErrorMessage } from "./default-replace.js";
import type { DriverResolver } from "./driver-resolver.js";
import type { LiveOutputs } from "./live-outputs.js";
import { checkOutput, inputIdWarning } from "./output-checks.js";
import { sensitiveMap, sensitiveOutputKeys } from "./sensitive-outputs.js";

/**
 * One plan action, from just-in-time substitution to saved state: write-ahead intent,
 * driver dispatch (upsert recovery, replace), output checks, state, and compensation
 * when what a create made cannot be kept. Never throws: every way it ends is an
 * ActionStatus with a message.
 */

/** What one apply shares between its actions. */
export interface RunContext {
  readonly store: StateStore;
  readonly drivers: DriverResolver;
  readonly live: LiveOutputs;
  readonly environ: Readonly<Record<string, string | undefined>>;
  /** State at the start of the apply, for actions whose plan lacks `current`. */
  readonly states: ReadonlyMap<string, ResourceState>;
  /** The forced stop: handed to driver calls, and ends a replace between its steps. */
  readonly forceSignal: AbortSignal | undefined;
  readonly emit: IacEventSink;
  readonly now: () => string;
  /** Work the apply must wait for before it returns, but actions need not. */
  readonly background: (work: Promise<void>) => void;
}

export interface ActionResult {
  readonly status: ActionStatus;
  readonly error?: string;
  /** For create, update and replace: the resource's outputs, sensitive keys marked. */
  readonly output?: ResourceOutput;
}

export async function runAction(ctx: RunContext, action: PlanAction): Promise<ActionResult> {
  let spec = action.resource;
  if (action.action !== "delete") {
    const resolved = resolveReferences(spec.config, ctx.live.sources(ctx.environ), "strict");
    if (resolved.unresolved.length > 0) {
      return skipped(
        `jit substitution: unresolved ${[...new Set(resolved.unresolved)].join(", ")}`,
      );
    }
    spec = { ...spec, config: resolved.config };
  }
  let run: ActionRun;
  try {
    const module = ctx.drivers.moduleOf(action);
    run = new ActionRun(ctx, action, spec, module, ctx.drivers.driver(module, spec.type));
  } catch (err) {
    return skipped(`resolve driver: ${toError(err).message}`);
  }
  try {
    switch (action.action) {
      case "create":
        return await run.create();
      case "update":
        return await run.update();
      case "replace":
        return await run.replace();
      case "delete":
        return await run.delete();
      default:
        return skipped(`unknown action "${String(action.action)}"`);
    }
  } catch (err) {
    return err instanceof ActionFailed
      ? { status: err.status, error: err.message }
      : { status: ActionStatus.Error, error: toError(err).message };
  }
}

function skipped(error: string): ActionResult {
  return { status: ActionStatus.Skipped, error };
}

class ActionFailed extends Error {
  override readonly name = "ActionFailed";
  constructor(
    readonly status: ActionStatus,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Errors after which a create certainly made nothing, so its intent can go. After any
 * other error (a timeout, a transient failure) the cloud may hold the resource: the
 * intent stays, and the next run adopts it if it is there.
 */
function createdNothing(err: unknown): boolean {
  return [
    ErrResourceAlreadyExists,
    ErrValidation,
    ErrUnauthorized,
    ErrForbidden,
    ErrImageNotInRegistry,
    ErrProviderMethodUnimplemented,
  ].some((sentinel) => errorIs(err, sentinel));
}

class ActionRun {
  readonly #ctx: RunContext;
  readonly #action: PlanAction;
  /** The spec after just-in-time substitution: what the driver gets. */
  readonly #spec: ResourceSpec;
  readonly #module: string;
  readonly #driver: ResourceDriver;

  constructor(
    ctx: RunContext,
    action: PlanAction,
    spec: ResourceSpec,
    module: string,
    driver: ResourceDriver,
  ) {
    this.#ctx = ctx;
    this.#action = action;
    this.#spec = spec;
    this.#module = module;
    this.#driver = driver;
  }

  get #name(): string {
    return this.#spec.name;
  }

  get #callOptions(): CallOptions | undefined {
    return this.#ctx.forceSignal ? { signal: this.#ctx.forceSignal } : undefined;
  }

  get #current(): ResourceState | undefined {
    return this.#action.current ?? this.#ctx.states.get(this.#name);
  }

  async create(): Promise<ActionResult> {
    await this.#writeIntent();
    let out: ResourceOutput;
    try {
      out = await this.#driver.create(this.#spec, this.#callOptions);
    } catch (err) {
      if (!errorIs(err, ErrResourceAlreadyExists) || !(await this.#supportsUpsert())) {
        this.#settleIntentAfter(err);
        throw new ActionFailed(ActionStatus.Error, toError(err).message);
      }
      return this.#complete(await this.#upsert(), "create", false);
    }
    return this.#complete(out, "create", true);
  }

  async update(): Promise<ActionResult> {
    const ref = await this.#currentRef();
    let out: ResourceOutput;
    try {
      out = await this.#driver.update(ref, this.#spec, this.#callOptions);
    } catch (err) {
      throw new ActionFailed(ActionStatus.Error, toError(err).message);
    }
    return this.#complete(out, "update", false);
  }

  async replace(): Promise<ActionResult> {
    const oldRef = await this.#currentRef();
    await this.#writeIntent(oldRef.provider_id);
    let out: ResourceOutput;
    if (isResourceReplacer(this.#driver)) {
      try {
        out = await this.#driver.replace(oldRef, this.#spec, this.#callOptions);
      } catch (err) {
        this.#settleIntentAfter(err);
        throw new ActionFailed(ActionStatus.Error, replacerErrorMessage(err));
      }
    } else {
      try {
        out = await defaultReplace(this.#driver, oldRef, this.#spec, this.#callOptions);
      } catch (err) {
        const step = err instanceof ReplaceError ? err.step : "delete";
        if (step !== "delete") await this.#forgetOld();
        this.#settleIntentAfter(step === "create" ? (err as ReplaceError).cause : undefined);
        throw new ActionFailed(ActionStatus.Error, toError(err).message);
      }
    }
    return this.#complete(out, "replace", true);
  }

  async delete(): Promise<ActionResult> {
    const ref = await this.#currentRef();
    try {
      await this.#driver.delete(ref, this.#callOptions);
    } catch (err) {
      if (!errorIs(err, ErrResourceNotFound)) {
        throw new ActionFailed(ActionStatus.DeleteFailed, toError(err).message);
      }
      this.#warn(`resource "${this.#name}" was already gone; removing it from state`);
    }
    try {
      await this.#ctx.store.deleteResource(this.#name);
    } catch (err) {
      throw new ActionFailed(
        ActionStatus.CompensationFailed,
        `state: resource "${this.#name}" was deleted but could not be removed from state: ${toError(err).message} — re-run apply to remove it`,
      );
    }
    this.#ctx.live.forget(this.#name);
    return { status: ActionStatus.Success };
  }

  /** Upsert recovery after ErrResourceAlreadyExists: read by name, then one update. */
  async #upsert(): Promise<ResourceOutput> {
    let found: ResourceOutput;
    try {
      found = await this.#driver.read(
        { name: this.#name, type: this.#spec.type, provider_id: "" },
        this.#callOptions,
      );
    } catch (err) {
      this.#dropIntent();
      throw new ActionFailed(
        ActionStatus.Error,
        `upsert: read after conflict: ${toError(err).message}`,
      );
    }
    if (!found?.provider_id) {
      this.#dropIntent();
      throw new ActionFailed(
        ActionStatus.Error,
        `upsert: resource "${this.#name}" found by name but ProviderID is empty`,
      );
    }
    try {
      const ref = { name: this.#name, type: this.#spec.type, provider_id: found.provider_id };
      return await this.#driver.update(ref, this.#spec, this.#callOptions);
    } catch (err) {
      this.#dropIntent();
      throw new ActionFailed(ActionStatus.Error, toError(err).message);
    }
  }

  /**
   * After the driver succeeded: check its output, save state, clear the intent.
   * `created`: this action made a new cloud resource, to delete again if it cannot be
   * kept (not so for an upsert, which took over one that already existed).
   */
  async #complete(
    out: ResourceOutput | undefined,
    op: "create" | "update" | "replace",
    created: boolean,
  ): Promise<ActionResult> {
    let output: ResourceOutput;
    try {
      output = checkOutput(out, this.#spec, op, await this.#format());
    } catch (err) {
      if (created) return this.#rollBack(toError(err).message, out?.provider_id ?? "");
      this.#dropIntent();
      throw new ActionFailed(ActionStatus.Error, toError(err).message);
    }
    const now = this.#ctx.now();
    const record = appliedRecord(this.#action.resource, this.#module, output, {
      created_at: op === "update" ? (this.#current?.created_at ?? now) : now,
      updated_at: now,
    });
    try {
      await this.#ctx.store.saveResource(record);
    } catch (err) {
      const reason = `state: could not save resource "${this.#name}" after ${op}: ${toError(err).message}`;
      if (created) return this.#rollBack(reason, output.provider_id);
      throw new ActionFailed(
        ActionStatus.CompensationFailed,
        `${reason}; the cloud resource is changed but state is not — re-run apply once state is writable`,
      );
    }
    this.#dropIntent();
    this.#ctx.live.record(this.#name, output.provider_id, output.outputs);
    if (op === "replace") this.#ctx.live.replaced(this.#name, output.provider_id);
    const keys = await this.#ctx.drivers.sensitiveKeys(this.#module, this.#spec.type, this.#driver);
    return {
      status: ActionStatus.Success,
      output: { ...output, sensitive: sensitiveMap(sensitiveOutputKeys(output, keys)) },
    };
  }

  /** Deletes what this action created and cannot keep; the old resource is gone too. */
  async #rollBack(reason: string, providerId: string): Promise<never> {
    if (this.#action.action === "replace") await this.#forgetOld();
    const failure = await deleteCreated(this.#driver, this.#spec, providerId);
    if (failure === undefined) {
      this.#dropIntent();
      throw new ActionFailed(ActionStatus.Error, `${reason}; the resource it created was deleted`);
    }
    // The intent stays: the next plan or apply adopts the resource if it is still there.
    throw new ActionFailed(
      ActionStatus.CompensationFailed,
      `${reason}; deleting the resource it created failed, so it may still exist (provider ID "${providerId}") — the next plan or apply adopts it, or delete it by hand: ${failure}`,
    );
  }

  /** Ref to the resource as state knows it; warns when its ID has the wrong shape. */
  async #currentRef(): Promise<ResourceRef> {
    const ref = {
      name: this.#name,
      type: this.#spec.type,
      provider_id: this.#current?.provider_id ?? "",
    };
    const warning = inputIdWarning(ref, await this.#format());
    if (warning !== undefined) this.#warn(warning);
    return ref;
  }

  #format() {
    return this.#ctx.drivers.idFormat(this.#module, this.#spec.type, this.#driver);
  }

  async #supportsUpsert(): Promise<boolean> {
    if (!isUpsertSupporter(this.#driver)) return false;
    try {
      return (await this.#driver.supportsUpsert()) === true;
    } catch {
      return false;
    }
  }

  /** Write-ahead: the intent is durable before the driver is asked to create anything. */
  async #writeIntent(previousProviderId?: string): Promise<void> {
    const action = this.#action.action === "replace" ? "replace" : "create";
    try {
      await this.#ctx.store.saveIntent({
        name: this.#name,
        type: this.#spec.type,
        provider: this.#module,
        action,
        // As planned, not substituted: intents are state too, and must hold no secrets.
        spec: this.#action.resource,
        ...(previousProviderId ? { previous_provider_id: previousProviderId } : {}),
        recorded_at: this.#ctx.now(),
      });
    } catch (err) {
      throw new ActionFailed(
        ActionStatus.Skipped,
        `write-ahead intent: ${toError(err).message} (nothing was sent to the provider)`,
      );
    }
  }

  /** After the driver failed: drop the intent unless the cloud may hold something. */
  #settleIntentAfter(cause: unknown): void {
    if (cause === undefined || createdNothing(cause)) this.#dropIntent();
  }

  /**
   * Clearing an intent is bookkeeping, not progress: it runs in the background so
   * dependents need not wait for one more durable write (a leftover intent is settled
   * harmlessly by the next run). The apply waits for it before returning.
   */
  #dropIntent(): void {
    if (this.#action.action !== "create" && this.#action.action !== "replace") return;
    this.#ctx.background(
      this.#ctx.store.deleteIntent(this.#name).catch((err: unknown) => {
        this.#warn(
          `state: could not clear the write-ahead intent of "${this.#name}": ${toError(err).message}`,
        );
      }),
    );
  }

  /** A replace deleted the old resource: state must stop describing it. */
  async #forgetOld(): Promise<void> {
    this.#ctx.live.forget(this.#name);
    try {
      await this.#ctx.store.deleteResource(this.#name);
    } catch (err) {
      this.#warn(
        `state: resource "${this.#name}" was deleted by its replace but is still in state (${toError(err).message}); run \`wfctl infra apply --refresh\` to prune it`,
      );
    }
  }

  #warn(message: string): void {
    this.#ctx.emit({ kind: "diagnostic", severity: "warning", message, resource: this.#name });
  }
}
