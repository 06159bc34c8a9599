import type { CallOptions, IaCPlan, ResourceState } from "../../contracts/index.js";
import { WfError } from "../../diagnostics/index.js";
import type { StateDriver } from "./state-driver.js";
import { toStateError } from "./state-error.js";
import { acquireStateLock, type HeldLock } from "./state-lock.js";
import type {
  LockHolder,
  LockIdentity,
  LockOptions,
  ResourceIntent,
  StateBackend,
  StateLockHandle,
  StateStore,
} from "./state-store.js";

/**
 * The runtime adapter every backend's driver runs behind: it enforces the lifecycle
 * (close once; nothing after close), honours cancellation, stamps timestamps, sorts
 * listings, applies the shared locking policy and names the operation and the state's
 * location in every failure.
 */
export class ManagedStateStore implements StateStore {
  readonly backend: StateBackend;
  readonly location: string;
  readonly #driver: StateDriver;
  readonly #identity: LockIdentity;
  readonly #held = new Set<HeldLock>();
  #closing: Promise<void> | undefined;

  constructor(driver: StateDriver, identity: LockIdentity) {
    this.#driver = driver;
    this.#identity = identity;
    this.backend = driver.backend;
    this.location = driver.location;
  }

  saveResource(state: ResourceState, opts?: CallOptions): Promise<void> {
    return this.#run(`save resource "${state.name}"`, opts, () => {
      requireName(state.name, "a resource");
      const now = new Date().toISOString();
      return this.#driver.putResource({
        ...state,
        created_at: state.created_at || now,
        updated_at: now,
      });
    });
  }

  getResource(name: string, opts?: CallOptions): Promise<ResourceState | undefined> {
    return this.#run(`read resource "${name}"`, opts, () => this.#driver.getResource(name));
  }

  listResources(opts?: CallOptions): Promise<ResourceState[]> {
    return this.#run("list resources", opts, async () =>
      byName(await this.#driver.listResources()),
    );
  }

  deleteResource(name: string, opts?: CallOptions): Promise<void> {
    return this.#run(`delete resource "${name}"`, opts, () => this.#driver.deleteResource(name));
  }

  savePlan(plan: IaCPlan, opts?: CallOptions): Promise<void> {
    return this.#run(`save plan "${plan.id}"`, opts, () => {
      requireName(plan.id, "a plan");
      return this.#driver.putPlan(plan);
    });
  }

  getPlan(id: string, opts?: CallOptions): Promise<IaCPlan | undefined> {
    return this.#run(`read plan "${id}"`, opts, () => this.#driver.getPlan(id));
  }

  lock(resource: string, ttlMs: number, opts: LockOptions = {}): Promise<StateLockHandle> {
    return this.#run(`lock "${resource}"`, opts, () =>
      acquireStateLock(
        {
          locks: this.#driver.locks,
          identity: this.#identity,
          backend: this.backend,
          location: this.location,
        },
        resource,
        ttlMs,
        opts,
        this.#held,
      ),
    );
  }

  lockInfo(resource: string, opts?: CallOptions): Promise<LockHolder | undefined> {
    return this.#run(`read lock "${resource}"`, opts, () => this.#driver.locks.read(resource));
  }

  forceUnlock(resource: string, opts?: CallOptions): Promise<LockHolder | undefined> {
    return this.#run(`force-unlock "${resource}"`, opts, () => this.#driver.locks.remove(resource));
  }

  saveIntent(intent: ResourceIntent, opts?: CallOptions): Promise<void> {
    return this.#run(`record the intent to ${intent.action} "${intent.name}"`, opts, () => {
      requireName(intent.name, "an intent");
      return this.#driver.putIntent(intent);
    });
  }

  deleteIntent(name: string, opts?: CallOptions): Promise<void> {
    return this.#run(`delete the intent for "${name}"`, opts, () =>
      this.#driver.deleteIntent(name),
    );
  }

  listIntents(opts?: CallOptions): Promise<ResourceIntent[]> {
    return this.#run("list intents", opts, async () => byName(await this.#driver.listIntents()));
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      await Promise.all([...this.#held].map((lock) => lock.stop()));
      await this.#driver.close();
    })();
    return this.#closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #run<T>(doing: string, opts: CallOptions | undefined, fn: () => Promise<T>): Promise<T> {
    if (this.#closing !== undefined) {
      throw new WfError("WF_ERR_INTERNAL", `cannot ${doing}: the state store is closed`);
    }
    try {
      opts?.signal?.throwIfAborted();
      return await fn();
    } catch (err) {
      throw toStateError(err, doing, this, opts?.signal);
    }
  }
}

function requireName(name: string, what: string): void {
  if (typeof name !== "string" || name === "") {
    throw new WfError("WF_ERR_STATE", `cannot store ${what} without a name`);
  }
}

/** Code-point order, the same on every backend whatever its collation. */
function byName<T extends { readonly name: string }>(items: T[]): T[] {
  return items.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
