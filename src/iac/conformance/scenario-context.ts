import {
  type ApplyResult,
  ErrProviderMethodUnimplemented,
  ErrResourceNotFound,
  errorIs,
  type IaCPlan,
  type IaCProvider,
  type ResourceDriver,
  type ResourceOutput,
  type ResourceRef,
  type ResourceSpec,
  type ResourceState,
} from "../../contracts/index.js";
import { applyPlan } from "../apply/index.js";
import type { DesiredResource } from "../desired-resources.js";
import { computePlan, type PlanResult } from "../plan/index.js";
import type { ProviderSet } from "../provider-set.js";
import type { StateStore } from "../state/state-store.js";
import type { CallRecorder } from "./call-recorder.js";
import { capabilityLabel, driverHas, isDriverCapability } from "./capability-probes.js";
import { ConformanceSkip, expectResolves, expectThat, show } from "./conformance-failure.js";
import type { FixtureRole, ScenarioNeeds } from "./conformance-types.js";
import { hasRoles, type ResourceFixture } from "./fixtures.js";

/** The `iac.provider` module name the provider under test has in every scenario. */
export const CONFORMANCE_MODULE = "p";

/** A resource type a scenario works on, with its fixture and (recorded) driver. */
export interface Subject {
  readonly type: string;
  readonly fixture: ResourceFixture;
  readonly driver: ResourceDriver;
}

export interface ScenarioContextParts {
  /** The provider under test, initialised, its calls recorded. */
  readonly provider: IaCProvider;
  readonly recorder: CallRecorder;
  readonly providers: ProviderSet;
  readonly store: StateStore;
  readonly signal: AbortSignal;
  readonly fixtures: Readonly<Record<string, ResourceFixture>>;
  readonly subjects: readonly Subject[];
  /** Makes names unique to this scenario run. */
  readonly suffix: string;
}

/**
 * What a scenario runs with: a fresh provider and state store, the resource types it
 * may use, and helpers to build specs and drive the real engine (computePlan,
 * applyPlan) against them.
 */
export class ScenarioContext {
  readonly provider: IaCProvider;
  readonly recorder: CallRecorder;
  readonly providers: ProviderSet;
  readonly store: StateStore;
  readonly signal: AbortSignal;
  readonly subjects: readonly Subject[];
  readonly #fixtures: Readonly<Record<string, ResourceFixture>>;
  readonly #suffix: string;

  constructor(parts: ScenarioContextParts) {
    this.provider = parts.provider;
    this.recorder = parts.recorder;
    this.providers = parts.providers;
    this.store = parts.store;
    this.signal = parts.signal;
    this.subjects = parts.subjects;
    this.#fixtures = parts.fixtures;
    this.#suffix = parts.suffix;
  }

  /** The first (preferred) subject. */
  get subject(): Subject {
    const first = this.subjects[0];
    if (!first) throw new Error("this scenario declares no resourceTypes, so it has no subject");
    return first;
  }

  /** A second resource type with `roles` (preferring `prefer`), or a skip. */
  async pick(roles: readonly FixtureRole[], prefer: readonly string[]): Promise<Subject> {
    const found = await resolveSubjects(this.provider, this.#fixtures, {
      resourceTypes: prefer,
      fixture: roles,
    });
    if (typeof found === "string") this.skip(found);
    return found[0]!;
  }

  /** A resource name unique to this run: `wfc-<base>-<suffix>`. */
  name(base: string): string {
    return `wfc-${base}-${this.#suffix}`;
  }

  /** The fixture's spec for `subject`, with its update or replace change when asked. */
  spec(
    subject: Subject,
    base: string,
    variant?: "update" | "replace",
    extra: Readonly<Record<string, unknown>> = {},
  ): ResourceSpec {
    const change = variant ? (subject.fixture[variant] ?? {}) : {};
    return {
      name: this.name(base),
      type: subject.type,
      config: structuredClone({ ...subject.fixture.config, ...change, ...extra }),
    };
  }

  /**
   * Creates the fixture's resource directly through the driver, behind the engine's
   * back (out of band); fails `check` unless the driver returns a provider ID.
   */
  async create(
    check: string,
    subject: Subject,
    base: string,
    extra: Readonly<Record<string, unknown>> = {},
  ): Promise<{ spec: ResourceSpec; output: ResourceOutput; ref: ResourceRef }> {
    const spec = this.spec(subject, `${base}-${typeSlug(subject.type)}`, undefined, extra);
    const output = await expectResolves(
      check,
      `${subject.type}: driver create of "${spec.name}"`,
      () => subject.driver.create(spec, { signal: this.signal }),
    );
    expectThat(
      check,
      `${subject.type}: create returns a ResourceOutput with a provider_id`,
      typeof output?.provider_id === "string" && output.provider_id !== "",
      "a non-empty provider_id",
      () => show(output),
    );
    return {
      spec,
      output,
      ref: { name: spec.name, type: spec.type, provider_id: output.provider_id },
    };
  }

  /** `spec` as the config would declare it under the provider module. */
  desired(spec: ResourceSpec): DesiredResource {
    return {
      spec,
      provider: CONFORMANCE_MODULE,
      protected: false,
      adoptExisting: false,
      moduleIndex: 0,
    };
  }

  /** computePlan of `desired` against the store's state. */
  async plan(desired: readonly DesiredResource[]): Promise<PlanResult> {
    return computePlan({
      desired,
      state: await this.store.listResources({ signal: this.signal }),
      providers: this.providers,
      environ: {},
      envVarNames: [],
      generator: { wfctl_version: "conformance" },
      signal: this.signal,
    });
  }

  /** applyPlan of `plan`, every resource under the provider module. */
  apply(plan: IaCPlan): Promise<ApplyResult> {
    return applyPlan({
      plan,
      providerOf: Object.fromEntries(
        plan.actions.map((a) => [a.resource.name, CONFORMANCE_MODULE]),
      ),
      providers: this.providers,
      store: this.store,
      environ: {},
      signal: this.signal,
    });
  }

  /** Plans and applies `desired`; any failure fails `check`. */
  async converge(check: string, desired: readonly DesiredResource[]): Promise<ApplyResult> {
    const names = desired.map((d) => `${d.spec.type} "${d.spec.name}"`).join(", ");
    const planned = await expectResolves(check, `planning ${names}`, () => this.plan(desired));
    const result = await expectResolves(check, `applying the plan for ${names}`, () =>
      this.apply(planned.plan),
    );
    expectThat(
      check,
      `applying the plan for ${names}`,
      applyFailures(result) === "",
      "no errors",
      () => applyFailures(result),
    );
    return result;
  }

  /** The state entry of `name`; fails `check` when there is none. */
  async state(check: string, name: string): Promise<ResourceState> {
    const entry = await this.store.getResource(name, { signal: this.signal });
    expectThat(check, `state has "${name}"`, entry !== undefined, "an entry", () => "none");
    return entry!;
  }

  /** The driver's read of `ref`, or undefined when it rejects with ErrResourceNotFound. */
  async read(subject: Subject, ref: ResourceRef): Promise<ResourceOutput | undefined> {
    try {
      return await subject.driver.read(ref, { signal: this.signal });
    } catch (err) {
      if (errorIs(err, ErrResourceNotFound)) return undefined;
      throw err;
    }
  }

  /** Runs an optional method; an "unimplemented" answer (a remote provider's) skips the scenario. */
  async optional<T>(method: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      if (errorIs(err, ErrProviderMethodUnimplemented)) {
        this.skip(`the provider answered ${method} with ErrProviderMethodUnimplemented`);
      }
      throw err;
    }
  }

  skip(reason: string): never {
    throw new ConformanceSkip(reason);
  }
}

/** A short name part for a resource type: `infra.compute` → `compute`. */
export function typeSlug(type: string): string {
  const last = type.slice(type.lastIndexOf(".") + 1);
  return last.replace(/[^a-z0-9]+/gi, "-").toLowerCase();
}

/** "" when the apply succeeded, else each failed action as `name (action): error`. */
export function applyFailures(result: ApplyResult): string {
  return (result.errors ?? []).map((e) => `${e.resource} (${e.action}): ${e.error}`).join("; ");
}

/**
 * The declared resource types that meet `needs`, preferred ones first, each with its
 * driver; or why there are none (a skip reason).
 */
export async function resolveSubjects(
  provider: IaCProvider,
  fixtures: Readonly<Record<string, ResourceFixture>>,
  needs: ScenarioNeeds,
): Promise<Subject[] | string> {
  if (needs.resourceTypes === undefined) return [];
  const declared = provider.capabilities().map((c) => c.resource_type);
  const prefer = needs.resourceTypes.filter((t) => declared.includes(t));
  const ordered = [...new Set([...prefer, ...declared])];
  const withFixture = ordered.filter((t) => fixtures[t] !== undefined);
  if (withFixture.length === 0) {
    return `no fixture for any resource type the provider declares (${declared.join(", ") || "none"}); pass fixtures for them`;
  }
  const roles = needs.fixture ?? [];
  const withRoles = withFixture.filter((t) => hasRoles(fixtures[t]!, roles));
  if (withRoles.length === 0) {
    return `needs a resource type whose fixture has ${roles.join(" and ")}; none of ${withFixture.join(", ")} has — add it to their fixtures`;
  }
  const subjects: Subject[] = [];
  for (const type of withRoles) {
    let driver: ResourceDriver;
    try {
      driver = provider.resourceDriver(type);
    } catch {
      continue; // the capabilities scenario reports a declared type without a driver
    }
    const capability = needs.capability;
    if (capability && isDriverCapability(capability) && !(await driverHas(driver, capability))) {
      continue;
    }
    subjects.push({ type, fixture: fixtures[type]!, driver });
  }
  if (subjects.length > 0) return subjects;
  return needs.capability && isDriverCapability(needs.capability)
    ? `needs a driver implementing ${capabilityLabel(needs.capability)}; none of ${withRoles.join(", ")} has one`
    : `the provider returned no driver for ${withRoles.join(", ")}`;
}
