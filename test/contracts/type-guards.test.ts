import { describe, expect, it } from "vitest";
import {
  isDriftConfigDetector,
  isEnumerator,
  isEnumeratorAll,
  isIaCProvider,
  isMigrationProvider,
  isProviderCredentialRevoker,
  isProviderIDValidator,
  isProviderMigrationRepairer,
  isProviderPlanner,
  isProviderValidator,
  isReconfigurable,
  isResourceAdoptionLocator,
  isResourceDriver,
  isResourceReplacer,
  isSchemaRegistrar,
  isStepRegistrar,
  isStepRegistryProvider,
  isTriggerRegistrar,
  isTroubleshooter,
  isUpsertSupporter,
  isWorkflowStoreProvider,
} from "../../src/contracts/index.js";

const fn = () => undefined;
const withMethods = (...names: string[]) => Object.fromEntries(names.map((n) => [n, fn]));

// guard → the methods it requires.
const cases: [string, (x: unknown) => boolean, string[]][] = [
  ["isEnumerator", isEnumerator, ["enumerateByTag"]],
  ["isEnumeratorAll", isEnumeratorAll, ["enumerateAll"]],
  ["isDriftConfigDetector", isDriftConfigDetector, ["detectDriftWithSpecs"]],
  ["isProviderCredentialRevoker", isProviderCredentialRevoker, ["revokeProviderCredential"]],
  ["isProviderMigrationRepairer", isProviderMigrationRepairer, ["repairDirtyMigration"]],
  ["isProviderPlanner", isProviderPlanner, ["planV2"]],
  ["isProviderValidator", isProviderValidator, ["validatePlan"]],
  ["isProviderIDValidator", isProviderIDValidator, ["providerIDFormat"]],
  ["isResourceAdoptionLocator", isResourceAdoptionLocator, ["adoptionRef"]],
  ["isResourceReplacer", isResourceReplacer, ["replace"]],
  ["isUpsertSupporter", isUpsertSupporter, ["supportsUpsert"]],
  ["isTroubleshooter", isTroubleshooter, ["troubleshoot"]],
  ["isReconfigurable", isReconfigurable, ["reconfigure"]],
  ["isMigrationProvider", isMigrationProvider, ["providesMigrations", "migrationsDependencies"]],
  ["isSchemaRegistrar", isSchemaRegistrar, ["name", "registerAdminSchemas", "applySchemas"]],
  ["isWorkflowStoreProvider", isWorkflowStoreProvider, ["name", "workflowStore"]],
  ["isStepRegistryProvider", isStepRegistryProvider, ["types"]],
  ["isStepRegistrar", isStepRegistrar, ["types", "create"]],
  ["isTriggerRegistrar", isTriggerRegistrar, ["registerTrigger"]],
  [
    "isResourceDriver",
    isResourceDriver,
    ["create", "read", "update", "delete", "diff", "healthCheck", "scale", "sensitiveKeys"],
  ],
  [
    "isIaCProvider",
    isIaCProvider,
    [
      "name",
      "version",
      "initialize",
      "capabilities",
      "plan",
      "destroy",
      "status",
      "detectDrift",
      "import",
      "resolveSizing",
      "resourceDriver",
      "supportedCanonicalKeys",
      "bootstrapStateBackend",
      "close",
    ],
  ],
];

describe.each(cases)("%s", (_name, guard, methods) => {
  it("is true when every method is a function", () => {
    expect(guard(withMethods(...methods))).toBe(true);
    expect(guard({ ...withMethods(...methods), extra: 1 })).toBe(true);
  });

  it("is false when any method is missing or not a function", () => {
    for (const missing of methods) {
      const partial = withMethods(...methods.filter((m) => m !== missing));
      expect(guard(partial), `without ${missing}`).toBe(false);
      expect(guard({ ...partial, [missing]: "not a function" }), `${missing} not callable`).toBe(
        false,
      );
    }
  });

  it("is false for non-objects", () => {
    for (const x of [undefined, null, 0, "replace", true, []]) {
      expect(guard(x)).toBe(false);
    }
  });
});

describe("guards on class instances", () => {
  it("see prototype methods", () => {
    class Driver {
      async enumerateByTag() {
        return [];
      }
    }
    expect(isEnumerator(new Driver())).toBe(true);
    expect(isEnumeratorAll(new Driver())).toBe(false);
  });
});
