import type {
  FieldChange,
  IaCPlan,
  PlanAction,
  ResourceSpec,
  ResourceState,
} from "../../contracts/index.js";
import { configHash, desiredHash, inputSnapshot } from "../hashing.js";
import { ignoreEvents } from "../iac-events.js";
import { findReferences, type OutputReference } from "../references.js";
import { type Classification, type ClassifyItem, classifyResources } from "./classify-resources.js";
import { dependencyOrder } from "./dependency-order.js";
import { DriverCache } from "./driver-cache.js";
import type { PendingReference, PlanInput, PlanResult } from "./plan-types.js";
import { validateWithProviders } from "./provider-validation.js";
import { selectResources } from "./select-resources.js";
import { sizeSpecs } from "./sized-specs.js";
import { resolveAgainstState, type StateOutputs, stateOutputs } from "./state-references.js";

export const DEFAULT_DIFF_CONCURRENCY = 8;

/** Diff concurrency as configured, clamped to 1..32 (upstream's WFCTL_PLAN_DIFF_CONCURRENCY). */
export function clampDiffConcurrency(n: number | undefined): number {
  if (n === undefined || !Number.isFinite(n)) return DEFAULT_DIFF_CONCURRENCY;
  return Math.min(32, Math.max(1, Math.floor(n)));
}

/**
 * Computes the plan that takes state to the desired resources, across all provider
 * modules at once. Order: creates, updates and replaces dependencies-first (declared
 * `depends_on` plus `${res.field}` references), ties in config order; then deletes,
 * dependents first. A resource referencing one that is created or replaced keeps the
 * reference unresolved (apply resolves it just in time) and, if it had no action,
 * gets an update so that happens.
 */
export async function computePlan(input: PlanInput): Promise<PlanResult> {
  const emit = input.onEvent ?? ignoreEvents;
  const createdAt = new Date();
  const selected = selectResources(input.desired, input.state, input.include);
  const specs = await sizeSpecs(selected.desired, input.providers, input.signal);
  const outputs = stateOutputs(input.state);
  const stateByName = new Map(input.state.map((s) => [s.name, s]));
  const declared = new Set(input.desired.map((d) => d.spec.name));

  const references = specs.map((spec) => findReferences(spec.config));
  const items = selected.desired.map((desired, i): ClassifyItem => {
    const spec = specs[i]!;
    const config =
      references[i]!.length === 0 ? spec.config : resolveAgainstState(spec.config, outputs);
    return { desired, spec: { ...spec, config }, state: stateByName.get(spec.name) };
  });
  const classes = await classifyResources(items, {
    drivers: new DriverCache(input.providers),
    concurrency: clampDiffConcurrency(input.diffConcurrency),
    now: createdAt.toISOString(),
    emit,
    ...(input.signal ? { signal: input.signal } : {}),
  });

  // Outputs of these change (or first appear) during apply: references to them wait for it.
  const unknownAfterApply = new Set<string>();
  items.forEach((item, i) => {
    const kind = classes[i]!.kind;
    if (kind === "create" || kind === "replace" || item.state === undefined) {
      unknownAfterApply.add(item.spec.name);
    }
  });

  const planned = new Map<string, PlanAction>();
  const providerOf: Record<string, string> = {};
  const pendingReferences: PendingReference[] = [];
  const dependencies = new Map<string, readonly string[]>();
  items.forEach((item, i) => {
    const name = item.spec.name;
    const dependsOn = dependenciesOf(item.spec, references[i]!, declared);
    dependencies.set(name, dependsOn);
    const action = plannedAction({
      item,
      classification: classes[i]!,
      sized: specs[i]!,
      references: references[i]!,
      dependsOn,
      outputs,
      unknownAfterApply,
    });
    if (action === undefined) return;
    planned.set(name, action);
    providerOf[name] = item.desired.provider;
    if (references[i]!.length > 0) {
      for (const ref of findReferences(action.resource.config)) {
        pendingReferences.push({ resource: name, reference: ref.raw });
      }
    }
  });

  const desiredNames = new Set(items.map((item) => item.spec.name));
  const deletes = new Map<string, PlanAction>();
  const knownProviders = new Set(input.providers.names());
  for (const state of selected.state) {
    if (desiredNames.has(state.name)) continue;
    deletes.set(state.name, deleteAction(state));
    providerOf[state.name] = state.provider;
    if (!knownProviders.has(state.provider)) {
      emit({
        kind: "diagnostic",
        severity: "warning",
        resource: state.name,
        message: `resource "${state.name}" is in state under provider module "${state.provider}", which the config no longer declares; apply cannot delete it until that module is declared again`,
      });
    }
  }

  const order = dependencyOrder(desiredNames, dependencies, {
    code: "WF_ERR_CONFIG_CYCLE",
    prefix: "dependency cycle",
  }).filter((name) => planned.has(name));
  const stateDependencies = new Map(input.state.map((s) => [s.name, s.dependencies ?? []]));
  const deleteOrder = dependencyOrder(deletes.keys(), stateDependencies, {
    code: "WF_ERR_STATE",
    prefix: "dependency cycle in state",
  })
    .filter((name) => deletes.has(name))
    .reverse();

  const plan: IaCPlan = {
    id: planID(createdAt),
    actions: [
      ...order.map((name) => planned.get(name)!),
      ...deleteOrder.map((name) => deletes.get(name)!),
    ],
    created_at: createdAt.toISOString(),
    plan_hash: desiredHash(specs),
    ...(selected.include ? { include: selected.include } : {}),
    // 2: some action config still holds a `${res.field}` that only apply can resolve.
    schema_version: pendingReferences.length > 0 ? 2 : 1,
    input_snapshot: inputSnapshot(input.envVarNames, input.environ),
    generator_metadata: input.generator,
  };
  const diagnostics = await validateWithProviders(plan, providerOf, input.providers);
  return { plan, providerOf, diagnostics, pendingReferences };
}

/**
 * Declared dependencies plus the declared resources the config references, so the
 * planned spec carries every edge apply's DAG needs.
 */
function dependenciesOf(
  spec: ResourceSpec,
  references: readonly OutputReference[],
  declared: ReadonlySet<string>,
): string[] {
  const explicit = spec.depends_on ?? [];
  if (references.length === 0) return explicit;
  const all = new Set(explicit);
  for (const ref of references) {
    if (ref.resource !== spec.name && declared.has(ref.resource)) all.add(ref.resource);
  }
  return [...all];
}

interface ActionParts {
  readonly item: ClassifyItem;
  readonly classification: Classification;
  /** The spec before resolution against state. */
  readonly sized: ResourceSpec;
  readonly references: readonly OutputReference[];
  readonly dependsOn: readonly string[];
  readonly outputs: StateOutputs;
  readonly unknownAfterApply: ReadonlySet<string>;
}

function plannedAction(parts: ActionParts): PlanAction | undefined {
  const { item, classification, sized, references, unknownAfterApply } = parts;
  const waits = references.some(
    (r) => r.resource !== sized.name && unknownAfterApply.has(r.resource),
  );
  if (classification.kind === "none" && (!waits || item.state === undefined)) return undefined;
  const config = waits
    ? resolveAgainstState(sized.config, parts.outputs, unknownAfterApply)
    : item.spec.config;
  const { depends_on: _declared, ...rest } = item.spec;
  const resource: ResourceSpec = {
    ...rest,
    config,
    ...(parts.dependsOn.length > 0 ? { depends_on: [...parts.dependsOn] } : {}),
  };
  const hash = configHash(config);
  const resolved = hash === "" ? {} : { resolved_config_hash: hash };
  if (classification.kind === "create") return { action: "create", resource, ...resolved };

  const cascade = waits
    ? waitingChanges(sized.config, item.spec.config, config, unknownAfterApply)
    : [];
  if (classification.kind === "none") {
    return { action: "update", resource, current: item.state!, changes: cascade, ...resolved };
  }
  const listed = new Set(classification.changes.map((c) => c.path));
  return {
    action: classification.kind,
    resource,
    current: classification.current,
    changes: [...classification.changes, ...cascade.filter((c) => !listed.has(c.path))],
    ...resolved,
  };
}

/** One change per top-level key whose value waits for a resource created or replaced in this plan. */
function waitingChanges(
  sized: Readonly<Record<string, unknown>>,
  before: Readonly<Record<string, unknown>>,
  after: Readonly<Record<string, unknown>>,
  unknownAfterApply: ReadonlySet<string>,
): FieldChange[] {
  return Object.keys(sized)
    .filter((key) => findReferences(sized[key]).some((r) => unknownAfterApply.has(r.resource)))
    .map((key) => ({
      path: key,
      old: before[key] ?? null,
      new: after[key] ?? null,
      force_new: false,
    }));
}

function deleteAction(state: ResourceState): PlanAction {
  return {
    action: "delete",
    resource: {
      name: state.name,
      type: state.type,
      config: state.applied_config,
      ...(state.dependencies?.length ? { depends_on: [...state.dependencies] } : {}),
    },
    current: state,
  };
}

/** `plan-<unix nanoseconds>`, as upstream; sortable by creation time. */
function planID(at: Date): string {
  const subMillisecond = process.hrtime.bigint() % 1_000_000n;
  return `plan-${BigInt(at.getTime()) * 1_000_000n + subMillisecond}`;
}
