import type { FixtureRole } from "./conformance-types.js";

/**
 * What the kit creates for one resource type. Scenarios build every spec from
 * fixtures, so a provider with other types (or stricter configs) runs the same
 * scenarios by passing its own `fixtures`.
 */
export interface ResourceFixture {
  /** A config the driver can create a resource from. */
  readonly config: Readonly<Record<string, unknown>>;
  /** Merged over `config`: a change the driver makes in place (Diff: update, not replace). */
  readonly update?: Readonly<Record<string, unknown>>;
  /** Merged over `config`: a change that forces a replacement (Diff: needs_replace or force_new). */
  readonly replace?: Readonly<Record<string, unknown>>;
  /** A config key that may hold any string, e.g. another resource's `${name.id}`. */
  readonly referenceKey?: string;
  /** Merged over `config`: marks the resource with `tag`, as the Enumerator finds it. */
  readonly tag?: (tag: string) => Readonly<Record<string, unknown>>;
}

const tags = (tag: string) => ({ tags: [tag] });

/**
 * Fixtures for the resource types of upstream's conformance scenarios (§8). Region,
 * engine and image values are placeholders a pretend cloud accepts.
 */
export const DEFAULT_FIXTURES: Readonly<Record<string, ResourceFixture>> = Object.freeze({
  "infra.vpc": {
    config: { region: "nyc1", ip_range: "10.10.0.0/16" },
    update: { ip_range: "10.20.0.0/16" },
    replace: { region: "nyc3" },
    tag: tags,
  },
  "infra.compute": {
    config: { region: "nyc1", image: "wfctl-conformance:1" },
    update: { image: "wfctl-conformance:2" },
    replace: { region: "nyc3" },
    tag: tags,
  },
  "infra.app": {
    config: { image: "wfctl-conformance:1", instance_count: 1 },
    update: { instance_count: 2 },
    referenceKey: "vpc_ref",
    tag: tags,
  },
  "infra.database": {
    config: { engine: "postgres", version: "16" },
    update: { version: "17" },
    replace: { engine: "mysql" },
    referenceKey: "vpc_ref",
    tag: tags,
  },
});

/** The fixture part each role needs. */
const roleKeys: Readonly<Record<FixtureRole, keyof ResourceFixture>> = {
  update: "update",
  replace: "replace",
  reference: "referenceKey",
  tag: "tag",
};

/** True when `fixture` provides every role. */
export function hasRoles(fixture: ResourceFixture, roles: readonly FixtureRole[]): boolean {
  return roles.every((role) => fixture[roleKeys[role]] !== undefined);
}
