import type { PlanAction, ResourceState } from "../../contracts/index.js";
import type { ReferenceSources } from "../references.js";

/**
 * What `${res.field}` / `${res.id}` resolve to during one apply: seeded from the
 * plan's `current` records and then from state (state wins, being newer), updated as
 * actions succeed, forgotten on delete. `id` is always the provider ID. Replaced
 * resources' new IDs are also kept apart, as the seed's ReplaceIDMap.
 */
export class LiveOutputs {
  readonly #outputs = new Map<string, Readonly<Record<string, unknown>>>();
  readonly #replaced: Record<string, string> = {};

  constructor(actions: readonly PlanAction[], states: readonly ResourceState[]) {
    for (const a of actions) {
      if (a.current) this.record(a.resource.name, a.current.provider_id, a.current.outputs);
    }
    for (const s of states) this.record(s.name, s.provider_id, s.outputs);
  }

  record(name: string, providerId: string, outputs: Readonly<Record<string, unknown>>): void {
    this.#outputs.set(name, providerId === "" ? { ...outputs } : { ...outputs, id: providerId });
  }

  forget(name: string): void {
    this.#outputs.delete(name);
  }

  /** A replace gave `name` a new provider ID. */
  replaced(name: string, providerId: string): void {
    this.#replaced[name] = providerId;
  }

  /** The seed's ReplaceIDMap: replaced resource name → its new provider ID. */
  replaceIdMap(): Record<string, string> {
    return { ...this.#replaced };
  }

  sources(environ: Readonly<Record<string, string | undefined>>): ReferenceSources {
    return {
      outputs: (name) => this.#outputs.get(name),
      replacedIds: this.#replaced,
      env: (name) => (Object.hasOwn(environ, name) ? environ[name] : undefined),
    };
  }
}
