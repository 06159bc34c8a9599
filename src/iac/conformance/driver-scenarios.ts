import { isDeepStrictEqual } from "node:util";
import {
  ErrResourceNotFound,
  errorIs,
  isProviderIDValidator,
  isTroubleshooter,
  providerIDFormatString,
  type ResourceOutput,
  validateProviderID,
} from "../../contracts/index.js";
import { toError } from "../../diagnostics/index.js";
import {
  expectEqual,
  expectRejectsWith,
  expectResolves,
  expectThat,
  show,
} from "./conformance-failure.js";
import type { Scenario } from "./conformance-types.js";

/**
 * The ResourceDriver contract, called directly, once per resource type with a fixture
 * (§8 checks 18–19, and what the engine assumes of every driver: reads are stable,
 * deletes are final, Diff of an unchanged resource is empty, IDs match their format).
 */

const outputsConsistency: Scenario = {
  id: "outputs-consistency",
  title: "reads of a created resource agree with each other and with create",
  checks: [18, 19],
  needs: { resourceTypes: ["infra.compute"] },
  offline: false,
  smoke: false,
  async run(ctx) {
    for (const subject of ctx.subjects) {
      const { spec, output, ref } = await ctx.create("1", subject, "read");
      const read = () => subject.driver.read(ref, { signal: ctx.signal });
      const first = await expectResolves("§8.18", `${subject.type}: first read`, read);
      const second = await expectResolves("§8.18", `${subject.type}: second read`, read);
      for (const r of [first, second]) {
        expectThat(
          "§8.18",
          `${subject.type}: read returns a ResourceOutput`,
          typeof r === "object" && r !== null,
          "an object",
          () => show(r),
        );
      }
      const view = (r: ResourceOutput) => ({
        provider_id: r.provider_id,
        status: r.status,
        outputs: r.outputs,
      });
      expectThat(
        "§8.19",
        `${subject.type}: two reads return the same provider_id, status and outputs`,
        isDeepStrictEqual(view(first), view(second)),
        show(view(first)),
        () => show(view(second)),
      );
      expectEqual(
        "3",
        `${subject.type}: the provider ID read returns (create's)`,
        first.provider_id,
        output.provider_id,
      );
      expectThat(
        "4",
        `${subject.type}: read names the resource it read (or leaves name and type empty)`,
        (!first.name || first.name === spec.name) && (!first.type || first.type === spec.type),
        `name ${show(spec.name)}, type ${show(spec.type)}`,
        () => `name ${show(first.name)}, type ${show(first.type)}`,
      );
    }
  },
};

const diffAfterCreate: Scenario = {
  id: "diff-no-changes-after-create",
  title: "Diff of the spec a resource was created from reports no change",
  needs: { resourceTypes: [] },
  offline: false,
  smoke: false,
  async run(ctx) {
    for (const subject of ctx.subjects) {
      const { spec, output, ref } = await ctx.create("1", subject, "diff");
      const live = await expectResolves("1", `${subject.type}: read`, () =>
        subject.driver.read(ref),
      );
      // As plan calls it: current built from state (create's outputs), and from a live read.
      const fromState: ResourceOutput = {
        ...ref,
        provider_id: output.provider_id,
        outputs: output.outputs ?? {},
        status: "unknown",
      };
      for (const [check, current, against] of [
        ["1", live, "a live read"],
        ["2", fromState, "the outputs state keeps"],
      ] as const) {
        const diff = await expectResolves(check, `${subject.type}: Diff against ${against}`, () =>
          subject.driver.diff(spec, current, { signal: ctx.signal }),
        );
        expectThat(
          check,
          `${subject.type}: Diff of the unchanged spec against ${against}`,
          !diff || (!diff.needs_update && !diff.needs_replace && (diff.changes ?? []).length === 0),
          "no update, no replace, no changes",
          () => show(diff),
        );
      }
    }
  },
};

const deleteIsFinal: Scenario = {
  id: "delete-then-read-not-found",
  title: "after delete, read rejects with ErrResourceNotFound",
  needs: { resourceTypes: [] },
  offline: false,
  smoke: false,
  async run(ctx) {
    for (const subject of ctx.subjects) {
      const { ref } = await ctx.create("1", subject, "gone");
      await expectResolves("1", `${subject.type}: delete`, () =>
        subject.driver.delete(ref, { signal: ctx.signal }),
      );
      await expectRejectsWith("2", `${subject.type}: read after delete`, () =>
        subject.driver.read(ref, { signal: ctx.signal }),
      );
    }
  },
};

const doubleDelete: Scenario = {
  id: "double-delete",
  title: "deleting twice is harmless: not found or success, and the name can be used again",
  needs: { resourceTypes: [] },
  offline: false,
  smoke: false,
  async run(ctx) {
    for (const subject of ctx.subjects) {
      const { spec, ref } = await ctx.create("1", subject, "twice");
      await expectResolves("1", `${subject.type}: first delete`, () =>
        subject.driver.delete(ref, { signal: ctx.signal }),
      );
      try {
        await subject.driver.delete(ref, { signal: ctx.signal });
      } catch (err) {
        expectThat(
          "2",
          `${subject.type}: a second delete of the same resource`,
          errorIs(err, ErrResourceNotFound),
          "success or an error matching ErrResourceNotFound",
          () => `error: ${toError(err).message}`,
        );
      }
      await expectRejectsWith("3", `${subject.type}: read after two deletes`, () =>
        subject.driver.read(ref, { signal: ctx.signal }),
      );
      const again = await expectResolves(
        "4",
        `${subject.type}: creating "${spec.name}" again`,
        () => subject.driver.create(spec, { signal: ctx.signal }),
      );
      const back = await expectResolves(
        "4",
        `${subject.type}: reading the new "${spec.name}"`,
        () =>
          subject.driver.read({ ...ref, provider_id: again.provider_id }, { signal: ctx.signal }),
      );
      expectEqual(
        "4",
        `${subject.type}: the new resource's provider ID`,
        back.provider_id,
        again.provider_id,
      );
    }
  },
};

const providerIdFormat: Scenario = {
  id: "provider-id-format",
  title: "the provider IDs drivers return match the format they declare",
  needs: { resourceTypes: [], capability: "id_format" },
  offline: false,
  smoke: false,
  async run(ctx) {
    for (const subject of ctx.subjects) {
      const driver = subject.driver;
      if (!isProviderIDValidator(driver)) continue; // the capability probe kept only validators
      const format = await expectResolves("1", `${subject.type}: providerIDFormat()`, () =>
        driver.providerIDFormat(),
      );
      const name = providerIDFormatString(format);
      expectThat(
        "1",
        `${subject.type}: the declared format is a known one`,
        name !== "unknown",
        "uuid, domain_name, arn or freeform",
        () => show(format),
      );
      const { ref, output } = await ctx.create("2", subject, "id");
      expectThat(
        "2",
        `${subject.type}: create's provider ID is a ${name} ID`,
        validateProviderID(output.provider_id, format),
        `a ${name} ID`,
        () => show(output.provider_id),
      );
      const read = await expectResolves("3", `${subject.type}: read`, () =>
        driver.read(ref, { signal: ctx.signal }),
      );
      expectThat(
        "3",
        `${subject.type}: read's provider ID is a ${name} ID`,
        validateProviderID(read.provider_id, format),
        `a ${name} ID`,
        () => show(read.provider_id),
      );
    }
  },
};

const troubleshooter: Scenario = {
  id: "troubleshooter",
  title: "troubleshoot returns well-formed diagnostics for a resource",
  needs: { resourceTypes: [], capability: "troubleshooter" },
  offline: false,
  smoke: false,
  async run(ctx) {
    const subject = ctx.subject;
    const driver = subject.driver;
    if (!isTroubleshooter(driver)) return ctx.skip("the driver does not implement Troubleshooter");
    const { ref } = await ctx.create("1", subject, "trouble");
    const diagnostics = await expectResolves("1", "troubleshoot", () =>
      ctx.optional("troubleshoot", () =>
        driver.troubleshoot(ref, "wfctl conformance: health check timed out", {
          signal: ctx.signal,
        }),
      ),
    );
    expectThat("1", "troubleshoot returns a list", Array.isArray(diagnostics), "an array", () =>
      show(diagnostics),
    );
    for (const d of diagnostics) {
      expectThat(
        "2",
        "each diagnostic has id, phase, cause and an RFC 3339 `at`",
        [d.id, d.phase, d.cause, d.at].every((v) => typeof v === "string") &&
          !Number.isNaN(Date.parse(d.at)),
        "{id, phase, cause, at} strings",
        () => show(d),
      );
    }
  },
};

const scale: Scenario = {
  id: "scale",
  title: "scale of a type that declares it keeps the resource's provider ID",
  needs: { resourceTypes: [] },
  offline: false,
  smoke: false,
  async run(ctx) {
    const scalable = new Set(
      ctx.provider
        .capabilities()
        .filter((c) => c.operations.includes("scale"))
        .map((c) => c.resource_type),
    );
    const subjects = ctx.subjects.filter((s) => scalable.has(s.type));
    if (subjects.length === 0)
      ctx.skip("no resource type with a fixture declares the scale operation");
    for (const subject of subjects) {
      const { ref } = await ctx.create("1", subject, "scale");
      const out = await expectResolves("1", `${subject.type}: scale to 2`, () =>
        subject.driver.scale(ref, 2, { signal: ctx.signal }),
      );
      expectEqual(
        "2",
        `${subject.type}: the provider ID after scale`,
        out?.provider_id,
        ref.provider_id,
      );
    }
  },
};

export const driverScenarios: readonly Scenario[] = [
  outputsConsistency,
  diffAfterCreate,
  deleteIsFinal,
  doubleDelete,
  providerIdFormat,
  troubleshooter,
  scale,
];
