import {
  type CallOptions,
  ErrResourceNotFound,
  errorIs,
  isResourceAdoptionLocator,
  type ResourceDriver,
  type ResourceOutput,
  type ResourceRef,
} from "../../contracts/index.js";
import { toError, WfError } from "../../diagnostics/index.js";
import { type IacEventSink, ignoreEvents } from "../iac-events.js";
import type { ProviderSet } from "../provider-set.js";
import type { ResourceIntent, StateStore } from "../state/state-store.js";
import { appliedRecord } from "./applied-record.js";

/**
 * Crash recovery. A write-ahead intent still in the store means a run died between
 * "create/replace sent to the cloud" and "state saved". Before the next plan or
 * apply, each one is settled against the cloud, found by name: what was created is
 * adopted into state, what was not is forgotten, so nothing is orphaned (a resource
 * the cloud has but state lacks) or duplicated (created again by the next apply).
 */

export interface ReconcileSummary {
  readonly adopted: readonly string[];
  readonly absent: readonly string[];
}

/**
 * Settles every intent; intents are deleted once settled. Throws WF_ERR_IAC listing
 * the intents it could not settle (their intents are kept): applying before they are
 * settled could create duplicates, so callers must stop.
 */
export async function reconcileIntents(
  store: StateStore,
  providers: ProviderSet,
  onEvent: IacEventSink = ignoreEvents,
  opts?: CallOptions,
): Promise<ReconcileSummary> {
  const adopted: string[] = [];
  const absent: string[] = [];
  const failures: string[] = [];
  for (const intent of await store.listIntents(opts)) {
    try {
      const outcome = await settle(store, providers, intent, opts);
      if (outcome !== "already-saved") {
        (outcome === "adopted" ? adopted : absent).push(intent.name);
        onEvent({ kind: "intent:reconciled", resource: intent.name, outcome });
      }
      await store.deleteIntent(intent.name, opts);
    } catch (err) {
      failures.push(
        `${intent.action} of "${intent.name}" (${intent.type}): ${toError(err).message}`,
      );
    }
  }
  if (failures.length > 0) {
    throw new WfError(
      "WF_ERR_IAC",
      [
        `could not settle ${failures.length} action(s) interrupted in an earlier run:`,
        ...failures.map((f) => `  ${f}`),
        "nothing was changed for them; re-run once the provider and state are reachable",
      ].join("\n"),
    );
  }
  return { adopted, absent };
}

type Settled = "adopted" | "absent" | "already-saved";

async function settle(
  store: StateStore,
  providers: ProviderSet,
  intent: ResourceIntent,
  opts: CallOptions | undefined,
): Promise<Settled> {
  const driver = providers.get(intent.provider).resourceDriver(intent.type);
  const saved = await store.getResource(intent.name, opts);
  const ref = { name: intent.name, type: intent.type };
  if (intent.action === "create") {
    // Killed after state was saved, before the intent was cleared.
    if (saved) return "already-saved";
  } else if (saved) {
    const previous = intent.previous_provider_id ?? "";
    if (saved.provider_id !== previous) return "already-saved";
    // Killed before the old resource was deleted: state still describes it correctly.
    if (previous !== "" && (await read(driver, { ...ref, provider_id: previous }, opts))) {
      return "absent";
    }
  }
  const found = await findByName(driver, intent, opts);
  if (!found) {
    // A replace that deleted the old resource and created nothing: plan creates it anew.
    if (saved) await store.deleteResource(intent.name, opts);
    return "absent";
  }
  const now = new Date().toISOString();
  await store.saveResource(
    appliedRecord(intent.spec, intent.provider, found, { created_at: now, updated_at: now }),
    opts,
  );
  return "adopted";
}

/** The live resource named like the intent's, via AdoptionRef when the driver has it. */
async function findByName(
  driver: ResourceDriver,
  intent: ResourceIntent,
  opts: CallOptions | undefined,
): Promise<ResourceOutput | undefined> {
  let ref: ResourceRef | undefined = { name: intent.name, type: intent.type, provider_id: "" };
  if (isResourceAdoptionLocator(driver)) ref = await driver.adoptionRef(intent.spec);
  if (!ref) return undefined;
  const found = await read(driver, ref, opts);
  if (found && !found.provider_id) {
    throw new Error(`found by name but its ProviderID is empty`);
  }
  return found ? { ...found, outputs: found.outputs ?? {} } : undefined;
}

async function read(
  driver: ResourceDriver,
  ref: ResourceRef,
  opts: CallOptions | undefined,
): Promise<ResourceOutput | undefined> {
  try {
    return (await driver.read(ref, opts)) ?? undefined;
  } catch (err) {
    if (errorIs(err, ErrResourceNotFound)) return undefined;
    throw err;
  }
}
