/**
 * TEST DOUBLE: an in-memory StateStore for the engine's own tests and benches. Not a
 * real backend (those are src/iac/state/{filesystem,sqlite,postgres}): nothing
 * survives the process. Records are deep-copied in and out, as a real store's
 * serialisation would. On top of the contract it keeps a `journal` of every write, in
 * order, and can be told to fail a given operation (`failOn`), for assertions on
 * write-ahead order and on failure handling.
 */
import { hostname, userInfo } from "node:os";
import type { CallOptions, IaCPlan, ResourceState } from "../../src/contracts/index.js";
import { StateLockedError } from "../../src/iac/state/state-locked-error.js";
import type {
  LockHolder,
  LockOptions,
  ResourceIntent,
  StateLockHandle,
  StateStore,
} from "../../src/iac/state/state-store.js";

export type MemoryStoreOperation =
  | "saveResource"
  | "deleteResource"
  | "listResources"
  | "saveIntent"
  | "deleteIntent"
  | "listIntents";

export class MemoryStateStore implements StateStore {
  // The contract has no in-memory backend; "filesystem" is the closest stand-in.
  readonly backend = "filesystem" as const;
  readonly location = "memory://test-double";
  /** Every write, in order: `saveIntent api`, `saveResource api`, `deleteIntent api`... */
  readonly journal: string[] = [];
  readonly #resources = new Map<string, ResourceState>();
  readonly #plans = new Map<string, IaCPlan>();
  readonly #intents = new Map<string, ResourceIntent>();
  readonly #failures = new Map<string, string>();
  readonly #locks = new Map<string, LockHolder>();
  #lockSeq = 0;

  constructor(resources: readonly ResourceState[] = []) {
    for (const r of resources) this.#resources.set(r.name, structuredClone(r));
  }

  /** Make `op` reject with `message` (for `name`, or for every name when omitted). */
  failOn(op: MemoryStoreOperation, name = "*", message = `injected ${op} failure`): void {
    this.#failures.set(`${op}\0${name}`, message);
  }

  /** Intents as stored, without going through the contract (assertions). */
  intentNames(): string[] {
    return [...this.#intents.keys()].sort();
  }

  #check(op: MemoryStoreOperation, name: string): void {
    const message = this.#failures.get(`${op}\0${name}`) ?? this.#failures.get(`${op}\0*`);
    if (message !== undefined) throw new Error(message);
  }

  async saveResource(state: ResourceState, _opts?: CallOptions): Promise<void> {
    this.#check("saveResource", state.name);
    const existing = this.#resources.get(state.name);
    this.#resources.set(state.name, {
      ...structuredClone(state),
      created_at: existing?.created_at ?? state.created_at,
    });
    this.journal.push(`saveResource ${state.name}`);
  }

  async getResource(name: string, _opts?: CallOptions): Promise<ResourceState | undefined> {
    const r = this.#resources.get(name);
    return r === undefined ? undefined : structuredClone(r);
  }

  async listResources(_opts?: CallOptions): Promise<ResourceState[]> {
    this.#check("listResources", "*");
    return [...this.#resources.values()]
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((r) => structuredClone(r));
  }

  async deleteResource(name: string, _opts?: CallOptions): Promise<void> {
    this.#check("deleteResource", name);
    this.#resources.delete(name);
    this.journal.push(`deleteResource ${name}`);
  }

  async savePlan(plan: IaCPlan, _opts?: CallOptions): Promise<void> {
    this.#plans.set(plan.id, structuredClone(plan));
  }

  async getPlan(id: string, _opts?: CallOptions): Promise<IaCPlan | undefined> {
    const p = this.#plans.get(id);
    return p === undefined ? undefined : structuredClone(p);
  }

  async saveIntent(intent: ResourceIntent, _opts?: CallOptions): Promise<void> {
    this.#check("saveIntent", intent.name);
    this.#intents.set(intent.name, structuredClone(intent));
    this.journal.push(`saveIntent ${intent.name}`);
  }

  async deleteIntent(name: string, _opts?: CallOptions): Promise<void> {
    this.#check("deleteIntent", name);
    this.#intents.delete(name);
    this.journal.push(`deleteIntent ${name}`);
  }

  async listIntents(_opts?: CallOptions): Promise<ResourceIntent[]> {
    this.#check("listIntents", "*");
    return [...this.#intents.values()]
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((i) => structuredClone(i));
  }

  /** A simple in-process lock: a held, unexpired lock refuses (or waits up to `waitMs`). */
  async lock(resource: string, ttlMs: number, opts?: LockOptions): Promise<StateLockHandle> {
    const deadline = Date.now() + (opts?.waitMs ?? 0);
    for (;;) {
      const held = this.#locks.get(resource);
      if (held === undefined || Date.parse(held.expires_at) <= Date.now()) {
        if (held !== undefined) opts?.onTakeover?.(held, "expired");
        break;
      }
      if (Date.now() >= deadline) throw new StateLockedError(held, this.location);
      await new Promise((r) => setTimeout(r, 10));
    }
    const now = Date.now();
    const holder: LockHolder = {
      id: `lock-${++this.#lockSeq}`,
      user: userInfo().username,
      host: hostname(),
      pid: process.pid,
      command: "test",
      acquired_at: new Date(now).toISOString(),
      expires_at: new Date(now + ttlMs).toISOString(),
    };
    this.#locks.set(resource, holder);
    return {
      holderInfo: holder,
      holder: `${holder.user}@${holder.host}`,
      expiresAt: holder.expires_at,
      unlock: async () => {
        if (this.#locks.get(resource)?.id === holder.id) this.#locks.delete(resource);
      },
    };
  }

  async lockInfo(resource: string, _opts?: CallOptions): Promise<LockHolder | undefined> {
    return this.#locks.get(resource);
  }

  async forceUnlock(resource: string, _opts?: CallOptions): Promise<LockHolder | undefined> {
    const held = this.#locks.get(resource);
    this.#locks.delete(resource);
    return held;
  }

  async close(): Promise<void> {}

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
