import type { ResourceState } from "../../contracts/index.js";
import { WfError } from "../../diagnostics/index.js";
import type { DesiredResource } from "../desired-resources.js";

/** The part of the desired set and of state that a plan (or `apply --plan`) covers. */
export interface SelectedResources {
  readonly desired: readonly DesiredResource[];
  readonly state: readonly ResourceState[];
  /** The include names, sorted and deduplicated; undefined for the full set. */
  readonly include: readonly string[] | undefined;
  /** Include names found neither in config nor in state, as given. */
  readonly unknown: readonly string[];
}

/** Filters desired resources and state entries alike by `include` (none or empty = all). */
export function filterIncluded(
  desired: readonly DesiredResource[],
  state: readonly ResourceState[],
  include: readonly string[] | undefined,
): SelectedResources {
  if (include === undefined || include.length === 0) {
    return { desired, state, include: undefined, unknown: [] };
  }
  const wanted = new Set(include);
  const known = new Set([...desired.map((d) => d.spec.name), ...state.map((s) => s.name)]);
  return {
    desired: desired.filter((d) => wanted.has(d.spec.name)),
    state: state.filter((s) => wanted.has(s.name)),
    include: [...wanted].sort(),
    unknown: [...wanted].filter((name) => !known.has(name)),
  };
}

/** {@link filterIncluded}, failing when an include name is declared nowhere (a typo). */
export function selectResources(
  desired: readonly DesiredResource[],
  state: readonly ResourceState[],
  include: readonly string[] | undefined,
): SelectedResources {
  const selected = filterIncluded(desired, state, include);
  if (selected.unknown.length > 0) {
    throw new WfError(
      "WF_ERR_USAGE",
      `--include: ${selected.unknown.length} resource(s) not declared in config or state: ${selected.unknown.join(", ")}`,
    );
  }
  return selected;
}
