import {
  ErrValidation,
  errorIs,
  isCanonicalKey,
  isResourceDriver,
  sizes,
} from "../../contracts/index.js";
import { toError } from "../../diagnostics/index.js";
import { expectResolves, expectThat, show } from "./conformance-failure.js";
import type { Scenario } from "./conformance-types.js";

/**
 * What a provider declares about itself, checked without creating anything: our
 * version of upstream's handshake and load gate (§8 checks 29–30), which for an
 * in-process or JSON-RPC provider become "initialises in time, names itself, declares
 * usable capabilities and only canonical keys".
 */

const OPERATIONS = new Set(["create", "read", "update", "delete", "scale"]);
/** A type no provider declares: resourceDriver must refuse it. */
const UNDECLARED_TYPE = "wfctl-conformance.undeclared";

const initialize: Scenario = {
  id: "initialize",
  title: "initialize resolves within 30 s and the provider names itself",
  checks: [29],
  needs: {},
  offline: true,
  smoke: true,
  async run(ctx) {
    // The runner already failed the scenario (check §8.29) if initialize was late or rejected.
    const name = ctx.provider.name();
    expectThat(
      "1",
      "name() is a non-empty string",
      typeof name === "string" && name !== "",
      "a name",
      () => show(name),
    );
    const version = ctx.provider.version();
    expectThat(
      "2",
      "version() is a non-empty string",
      typeof version === "string" && version !== "",
      "a version",
      () => show(version),
    );
  },
};

const capabilities: Scenario = {
  id: "capabilities",
  title: "capabilities() declares resource types whose drivers exist",
  checks: [30],
  needs: {},
  offline: true,
  smoke: true,
  async run(ctx) {
    const declared = ctx.provider.capabilities();
    expectThat(
      "§8.30",
      "capabilities() declares at least one resource type",
      Array.isArray(declared) && declared.length > 0,
      "a non-empty array",
      () => show(declared),
    );
    for (const d of declared) {
      expectThat(
        "2",
        "each declaration has a resource_type",
        typeof d.resource_type === "string" && d.resource_type !== "",
        "a non-empty string",
        () => show(d),
      );
      expectThat(
        "2",
        `${d.resource_type}: tier is 1 (infra), 2 (shared) or 3 (app)`,
        [1, 2, 3].includes(d.tier),
        "1, 2 or 3",
        () => show(d.tier),
      );
      const ops = Array.isArray(d.operations) ? d.operations : [];
      expectThat(
        "2",
        `${d.resource_type}: operations are among create, read, update, delete, scale`,
        ops.length > 0 && ops.every((op) => OPERATIONS.has(op)),
        "a non-empty list of those",
        () => show(d.operations),
      );
    }
    const types = declared.map((d) => d.resource_type);
    const twice = types.filter((t, i) => types.indexOf(t) !== i);
    expectThat(
      "3",
      "each resource type is declared once",
      twice.length === 0,
      "no duplicates",
      () => `${twice.join(", ")} declared more than once`,
    );
    for (const type of types) {
      const driver = await expectResolves("4", `resourceDriver("${type}") returns its driver`, () =>
        ctx.provider.resourceDriver(type),
      );
      expectThat(
        "4",
        `resourceDriver("${type}") is a ResourceDriver`,
        isResourceDriver(driver),
        "create, read, update, delete, diff, healthCheck, scale and sensitiveKeys",
        () => `an object with ${Object.keys(driver ?? {}).join(", ") || "nothing"}`,
      );
    }
    let refused = false;
    try {
      refused = !isResourceDriver(ctx.provider.resourceDriver(UNDECLARED_TYPE));
    } catch {
      refused = true;
    }
    expectThat(
      "5",
      `resourceDriver("${UNDECLARED_TYPE}") throws for a type it does not support`,
      refused,
      "an error",
      () => "a driver",
    );
  },
};

const canonicalKeys: Scenario = {
  id: "canonical-keys",
  title: "supportedCanonicalKeys() answers with canonical keys only",
  checks: [29],
  needs: {},
  offline: true,
  smoke: false,
  async run(ctx) {
    const keys = await expectResolves("§8.29", "supportedCanonicalKeys() runs", () =>
      ctx.provider.supportedCanonicalKeys(),
    );
    expectThat(
      "1",
      "supportedCanonicalKeys() returns an array",
      Array.isArray(keys),
      "an array",
      () => show(keys),
    );
    const unknown = keys.filter((k) => !isCanonicalKey(k));
    expectThat(
      "2",
      "every key is one of the 32 canonical keys",
      unknown.length === 0,
      "canonical keys only",
      () => `non-canonical ${show(unknown)}`,
    );
    const twice = keys.filter((k, i) => keys.indexOf(k) !== i);
    expectThat("3", "each key is listed once", twice.length === 0, "no duplicates", () =>
      show(twice),
    );
  },
};

const sensitiveKeys: Scenario = {
  id: "sensitive-keys",
  title: "every driver's sensitiveKeys() answers with output key names",
  needs: {},
  offline: true,
  smoke: false,
  async run(ctx) {
    for (const { resource_type: type } of ctx.provider.capabilities()) {
      const keys = await expectResolves("1", `${type}: sensitiveKeys() resolves`, () =>
        ctx.provider.resourceDriver(type).sensitiveKeys(),
      );
      expectThat(
        "2",
        `${type}: sensitiveKeys() is a list of non-empty strings`,
        Array.isArray(keys) && keys.every((k) => typeof k === "string" && k !== ""),
        "an array of key names",
        () => show(keys),
      );
    }
  },
};

const resolveSizing: Scenario = {
  id: "resolve-sizing",
  title: "resolveSizing answers every size tier, or refuses a type with ErrValidation",
  needs: {},
  offline: true,
  smoke: false,
  async run(ctx) {
    for (const { resource_type: type } of ctx.provider.capabilities()) {
      for (const size of sizes) {
        let sizing: unknown;
        try {
          sizing = await ctx.provider.resolveSizing(type, size);
        } catch (err) {
          expectThat(
            "1",
            `${type} size "${size}": a refusal means "sizes do not apply to this type"`,
            errorIs(err, ErrValidation),
            "an error matching ErrValidation",
            () => `error: ${toError(err).message}`,
          );
          continue;
        }
        const s = sizing as { instance_type?: unknown; specs?: unknown } | undefined;
        expectThat(
          "2",
          `${type} size "${size}": resolveSizing returns {instance_type, specs}`,
          typeof s?.instance_type === "string" && typeof s.specs === "object" && s.specs !== null,
          "a string instance_type and a specs object",
          () => show(sizing),
        );
      }
    }
  },
};

export const providerScenarios: readonly Scenario[] = [
  initialize,
  capabilities,
  canonicalKeys,
  sensitiveKeys,
  resolveSizing,
];
