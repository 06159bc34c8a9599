import {
  DriftClass,
  type DriftResult,
  ErrResourceNotFound,
  ErrValidation,
  errorIs,
  isEnumerator,
  isResourceAdoptionLocator,
} from "../../contracts/index.js";
import { toError } from "../../diagnostics/index.js";
import { detectDrift, refreshState } from "../operations/index.js";
import {
  expectEqual,
  expectRejectsWith,
  expectResolves,
  expectThat,
  show,
} from "./conformance-failure.js";
import type { Scenario } from "./conformance-types.js";
import { applyFailures, type ScenarioContext } from "./scenario-context.js";

/**
 * Resources that exist outside the engine's state or change behind its back:
 * adoption, import, tag enumeration, drift (ghost and config) and status — each
 * through the optional interface a provider declares, with the engine's operations.
 */

async function driftOf(ctx: ScenarioContext, check: string, name: string): Promise<DriftResult> {
  const results = await expectResolves(check, "detectDrift", () =>
    detectDrift({ providers: ctx.providers, store: ctx.store, signal: ctx.signal }),
  );
  const found = results.find((r) => r.name === name);
  expectThat(check, `detectDrift reports on "${name}"`, found !== undefined, "a result", () =>
    show(results),
  );
  return found!;
}

const adoption: Scenario = {
  id: "adoption",
  title:
    "adoptionRef finds a resource created out of band, and plan adopts it instead of creating a duplicate",
  needs: { resourceTypes: [], capability: "adoption" },
  offline: false,
  smoke: false,
  async run(ctx) {
    const subject = ctx.subject;
    const driver = subject.driver;
    if (!isResourceAdoptionLocator(driver))
      return ctx.skip("the driver does not implement ResourceAdoptionLocator");
    const nothing = ctx.spec(subject, "never-created");
    const none = await expectResolves("1", "adoptionRef of a resource that does not exist", () =>
      ctx.optional("adoptionRef", () => driver.adoptionRef(nothing)),
    );
    expectEqual("1", "adoptionRef of a resource that does not exist", none, undefined);
    const existing = await ctx.create("2", subject, "adopt");
    const ref = await expectResolves("2", "adoptionRef of the existing resource", () =>
      driver.adoptionRef(existing.spec),
    );
    expectThat(
      "2",
      "adoptionRef finds the existing resource",
      ref !== undefined,
      "a ResourceRef",
      () => "undefined",
    );
    const live = await expectResolves("3", "reading the adoption ref", () =>
      driver.read(ref!, { signal: ctx.signal }),
    );
    expectEqual(
      "3",
      "the provider ID behind the adoption ref",
      live.provider_id,
      existing.output.provider_id,
    );
    const planned = await expectResolves("4", "planning the existing resource", () =>
      ctx.plan([ctx.desired(existing.spec)]),
    );
    const creates = planned.plan.actions.filter((a) => a.action === "create");
    expectEqual("4", "create actions for a resource that adoption finds", creates.length, 0);
    const result = await expectResolves("5", "applying the adoption", () =>
      ctx.apply(planned.plan),
    );
    expectEqual("5", "apply errors", applyFailures(result), "");
    expectEqual(
      "5",
      "the provider ID in state after adoption",
      (await ctx.state("5", existing.spec.name)).provider_id,
      existing.output.provider_id,
    );
  },
};

const importResource: Scenario = {
  id: "import",
  title: "import of a resource's cloud ID returns its state; an unknown ID is refused",
  needs: { resourceTypes: [] },
  offline: false,
  smoke: false,
  async run(ctx) {
    const subject = ctx.subject;
    const { output } = await ctx.create("1", subject, "import");
    const imported = await expectResolves(
      "1",
      `import("${output.provider_id}", "${subject.type}")`,
      () =>
        ctx.optional("import", () =>
          ctx.provider.import(output.provider_id, subject.type, { signal: ctx.signal }),
        ),
    );
    expectEqual("2", "the imported provider ID", imported?.provider_id, output.provider_id);
    expectEqual("2", "the imported type", imported?.type, subject.type);
    try {
      const ghost = await ctx.provider.import("wfctl-conformance-no-such-id", subject.type, {
        signal: ctx.signal,
      });
      expectThat(
        "3",
        "import of an ID that does not exist",
        false,
        "an error matching ErrResourceNotFound (or ErrValidation for a malformed ID)",
        () => `success (${show(ghost)})`,
      );
    } catch (err) {
      expectThat(
        "3",
        "import of an ID that does not exist",
        errorIs(err, ErrResourceNotFound) || errorIs(err, ErrValidation),
        "an error matching ErrResourceNotFound (or ErrValidation for a malformed ID)",
        () => `error: ${toError(err).message}`,
      );
    }
  },
};

const enumerator: Scenario = {
  id: "enumerator",
  title: "enumerateByTag finds tagged resources as refs its drivers can delete",
  needs: { resourceTypes: [], fixture: ["tag"], capability: "enumerator" },
  offline: false,
  smoke: false,
  async run(ctx) {
    const provider = ctx.provider;
    if (!isEnumerator(provider)) return ctx.skip("the provider does not implement Enumerator");
    const subject = ctx.subject;
    const tag = ctx.name("tag");
    const before = await expectResolves("1", `enumerateByTag("${tag}")`, () =>
      ctx.optional("enumerateByTag", () => provider.enumerateByTag(tag, { signal: ctx.signal })),
    );
    expectEqual("1", "resources carrying a tag nothing has", before, []);
    const { spec } = await ctx.create("2", subject, "tagged", subject.fixture.tag!(tag));
    const found = await expectResolves("2", `enumerateByTag("${tag}")`, () =>
      provider.enumerateByTag(tag, { signal: ctx.signal }),
    );
    expectThat(
      "2",
      "the tagged resource is found by name and type",
      found.some((r) => r.name === spec.name && r.type === spec.type),
      `${spec.type} "${spec.name}"`,
      () => show(found),
    );
    const declared = new Set(provider.capabilities().map((c) => c.resource_type));
    for (const ref of found) {
      expectThat(
        "3",
        "each ref's type is one the provider declares",
        declared.has(ref.type),
        `one of ${[...declared].join(", ")}`,
        () => show(ref),
      );
      await expectResolves(
        "4",
        `deleting enumerated ${ref.type} "${ref.name}" through its driver`,
        () => provider.resourceDriver(ref.type).delete(ref, { signal: ctx.signal }),
      );
      await expectRejectsWith(
        "5",
        `reading enumerated ${ref.type} "${ref.name}" after the delete`,
        () => provider.resourceDriver(ref.type).read(ref, { signal: ctx.signal }),
      );
    }
  },
};

const driftGhost: Scenario = {
  id: "drift-ghost",
  title: "a resource deleted out of band is in sync before and a ghost after; refresh prunes it",
  needs: { resourceTypes: [] },
  offline: false,
  smoke: false,
  async run(ctx) {
    const subject = ctx.subject;
    const spec = ctx.spec(subject, "ghost");
    await ctx.converge("set-up", [ctx.desired(spec)]);
    const entry = await ctx.state("set-up", spec.name);
    const fresh = await driftOf(ctx, "1", spec.name);
    expectEqual(
      "1",
      "drift right after apply (class, drifted)",
      [fresh.class, fresh.drifted],
      [DriftClass.InSync, false],
    );
    await expectResolves("set-up", "deleting it out of band through the driver", () =>
      subject.driver.delete({ name: spec.name, type: spec.type, provider_id: entry.provider_id }),
    );
    const gone = await driftOf(ctx, "2", spec.name);
    expectEqual(
      "2",
      "drift after an out-of-band delete (class, drifted)",
      [gone.class, gone.drifted],
      [DriftClass.Ghost, true],
    );
    const refreshed = await expectResolves("3", "refreshState with prune", () =>
      refreshState({ providers: ctx.providers, store: ctx.store, prune: true, signal: ctx.signal }),
    );
    expectEqual("3", "pruned ghosts", refreshed.pruned, [spec.name]);
    const planned = await expectResolves("4", "planning the still-desired ghost", () =>
      ctx.plan([ctx.desired(spec)]),
    );
    expectEqual(
      "4",
      "the plan for a pruned, still-desired resource",
      planned.plan.actions.map((a) => a.action),
      ["create"],
    );
  },
};

const driftConfig: Scenario = {
  id: "drift-config",
  title: "a resource changed out of band is reported as config drift naming the changed fields",
  needs: { resourceTypes: [], fixture: ["update"], capability: "drift_config" },
  offline: false,
  smoke: false,
  async run(ctx) {
    const subject = ctx.subject;
    const spec = ctx.spec(subject, "drift");
    await ctx.converge("set-up", [ctx.desired(spec)]);
    const entry = await ctx.state("set-up", spec.name);
    await expectResolves("set-up", "changing it out of band through the driver", () =>
      subject.driver.update(
        { name: spec.name, type: spec.type, provider_id: entry.provider_id },
        ctx.spec(subject, "drift", "update"),
      ),
    );
    const drift = await driftOf(ctx, "1", spec.name);
    expectEqual(
      "1",
      "drift after an out-of-band change (class, drifted)",
      [drift.class, drift.drifted],
      [DriftClass.Config, true],
    );
    const changed = Object.keys(subject.fixture.update ?? {});
    const fields = drift.fields ?? [];
    expectThat(
      "2",
      "the drift names the changed fields",
      changed.every((f) => fields.includes(f)),
      show(changed),
      () => show(fields),
    );
  },
};

const statusAndHealth: Scenario = {
  id: "status-and-health",
  title: "status and healthCheck describe a created resource",
  needs: { resourceTypes: [] },
  offline: false,
  smoke: false,
  async run(ctx) {
    const subject = ctx.subject;
    const { spec, ref } = await ctx.create("1", subject, "status");
    const statuses = await expectResolves("1", "status of the created resource", () =>
      ctx.provider.status([ref], { signal: ctx.signal }),
    );
    expectEqual("1", "status entries for one ref", statuses.length, 1);
    const [status] = statuses;
    expectEqual(
      "2",
      "the status entry's name and provider ID",
      [status!.name, status!.provider_id],
      [spec.name, ref.provider_id],
    );
    expectThat(
      "2",
      "the status entry has a status",
      typeof status!.status === "string" && status!.status !== "",
      "a non-empty status",
      () => show(status),
    );
    const health = await expectResolves("3", "healthCheck of the created resource", () =>
      subject.driver.healthCheck(ref, { signal: ctx.signal }),
    );
    expectThat(
      "3",
      "healthCheck returns {healthy: boolean}",
      typeof health?.healthy === "boolean",
      "a HealthResult",
      () => show(health),
    );
  },
};

export const lifecycleScenarios: readonly Scenario[] = [
  adoption,
  importResource,
  enumerator,
  driftGhost,
  driftConfig,
  statusAndHealth,
];
