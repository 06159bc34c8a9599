import { describe, expect, it } from "vitest";
import type { ResourceDriver } from "../../../src/contracts/index.js";
import {
  type ConformanceConfig,
  conformanceScenarios,
  formatConformanceReport,
  runConformance,
  runScenario,
  type Scenario,
} from "../../../src/iac/conformance/index.js";
import { describeConformance } from "../../../src/iac/conformance/vitest.js";
import {
  FAKE_CAPABILITIES,
  type FakeCapability,
  FakeCloudProvider,
} from "../../doubles/fake-cloud-provider.js";
import { MemoryStateStore } from "../../doubles/memory-state-store.js";

const ALL: FakeCapability[] = [...FAKE_CAPABILITIES];

const fake = (capabilities: FakeCapability[], extra: Record<string, unknown> = {}) =>
  ({
    provider: () => new FakeCloudProvider(),
    providerConfig: { capabilities, ...extra },
    liveCloud: true,
  }) satisfies ConformanceConfig;

describeConformance("FakeCloudProvider with every capability", fake(ALL));
describeConformance("FakeCloudProvider with no optional capability", fake([]));
describeConformance("FakeCloudProvider with freeform IDs, upsert and replacer, in-memory state", {
  ...fake(["upsert", "replacer"], { id_format: "freeform" }),
  storeFactory: async () => new MemoryStateStore(),
});

function scenario(id: string): Scenario {
  const found = conformanceScenarios.find((s) => s.id === id);
  if (!found) throw new Error(`no scenario ${id}`);
  return found;
}

/** The double with some driver methods replaced, to prove the kit catches them. */
class BrokenCloud extends FakeCloudProvider {
  constructor(private readonly breakDriver: (driver: ResourceDriver) => void) {
    super();
  }

  override resourceDriver(type: string): ResourceDriver {
    const driver = super.resourceDriver(type);
    this.breakDriver(driver);
    return driver;
  }
}

describe("the conformance kit", () => {
  it("skips exactly the scenarios whose optional interface the provider lacks, naming it", async () => {
    const report = await runConformance(fake([]));

    expect(report.failed).toBe(0);
    const skipped = Object.fromEntries(
      report.results.filter((r) => r.status === "skipped").map((r) => [r.id, r.reason]),
    );
    expect(Object.keys(skipped).sort()).toEqual(
      [
        "adoption",
        "cross-resource-constraint",
        "drift-config",
        "enumerator",
        "finalizer",
        "replacer",
        "troubleshooter",
        "upsert-on-already-exists",
        "validator-accepts-valid-plan",
      ].sort(),
    );
    expect(skipped.adoption).toMatch(/ResourceAdoptionLocator/);
    expect(skipped.enumerator).toMatch(/does not implement Enumerator/);
    expect(skipped["upsert-on-already-exists"]).toMatch(/UpsertSupporter/);
  });

  it("runs every scenario against a provider with every capability", async () => {
    const report = await runConformance(fake(ALL));

    expect(report.results.filter((r) => r.status !== "passed")).toEqual([]);
    expect(report.provider).toEqual({ name: "fakecloud", version: "0.0.0-test" });
    expect(formatConformanceReport(report)).toContain(
      `fakecloud 0.0.0-test: ${conformanceScenarios.length} passed, 0 failed, 0 skipped`,
    );
  });

  it("fails outputs-consistency when read returns a different provider_id each call", async () => {
    let reads = 0;
    const created: FakeCloudProvider[] = [];
    const { result } = await runScenario(scenario("outputs-consistency"), {
      ...fake([]),
      provider: () => {
        const cloud = new BrokenCloud((driver) => {
          const read = driver.read.bind(driver);
          driver.read = async (ref, opts) => ({
            ...(await read(ref, opts)),
            provider_id: `id-${++reads}`,
          });
        });
        created.push(cloud);
        return cloud;
      },
    });

    expect(result.status).toBe("failed");
    expect(result.reason).toMatch(/^check §8\.19: .*two reads return the same provider_id/);
    expect(result.reason).toContain('"provider_id":"id-2"');
    // The outputs shown keep their secrets out of CI logs.
    expect(result.reason).toContain('"password":"(sensitive)"');
    expect(result.reason).not.toMatch(/pw-/);
    // What the failed scenario created was deleted again.
    expect(created.flatMap((c) => c.records())).toEqual([]);
  });

  it("warns about a resource its clean-up could not delete", async () => {
    const { result } = await runScenario(scenario("outputs-consistency"), {
      ...fake([]),
      provider: () =>
        new BrokenCloud((driver) => {
          driver.delete = async () => {
            throw new Error("delete is switched off");
          };
        }),
    });

    expect(result.status).toBe("passed");
    expect(result.warnings).toHaveLength(4); // one resource per declared type
    expect(result.warnings?.[0]).toMatch(
      /^clean-up could not delete infra\.\w+ "wfc-read-\w+-\w+" \(.+\): delete is switched off$/,
    );
  });

  it("fails delete-then-read-not-found when delete leaves the resource", async () => {
    const { result } = await runScenario(scenario("delete-then-read-not-found"), {
      ...fake([]),
      provider: () =>
        new BrokenCloud((driver) => {
          driver.delete = async () => {};
        }),
    });

    expect(result.status).toBe("failed");
    expect(result.reason).toMatch(
      /^check 2: infra\.\w+: read after delete — expected an error matching the sentinel "iac: resource not found".*got success/,
    );
  });

  it("fails upsert-on-already-exists when create duplicates a taken name", async () => {
    const { result } = await runScenario(scenario("upsert-on-already-exists"), {
      ...fake(["upsert"]),
      provider: () =>
        new BrokenCloud((driver) => {
          const create = driver.create.bind(driver);
          driver.create = (spec, opts) =>
            create({ ...spec, name: `${spec.name}-${Math.random()}` }, opts).then((out) => ({
              ...out,
              name: spec.name,
            }));
        }),
    });

    expect(result.status).toBe("failed");
    expect(result.reason).toMatch(/^check 3: .*ErrResourceAlreadyExists/);
  });

  it("reports configured skips with their reason, and runs only smoke scenarios when asked", async () => {
    const report = await runConformance({
      ...fake(ALL),
      smokeOnly: true,
      skip: { "needs-replace": "the fake cloud has no regions yet" },
    });

    const byId = Object.fromEntries(report.results.map((r) => [r.id, r]));
    expect(byId.initialize?.status).toBe("passed");
    expect(byId.capabilities?.status).toBe("passed");
    expect(byId["needs-replace"]).toMatchObject({
      status: "skipped",
      reason: "the fake cloud has no regions yet",
    });
    expect(byId["apply-idempotent"]).toMatchObject({
      status: "skipped",
      reason: "smoke run: only smoke scenarios run",
    });
    expect(report.passed).toBe(2);
  });

  it("creates nothing without liveCloud", async () => {
    const clouds: FakeCloudProvider[] = [];
    const report = await runConformance({
      ...fake(ALL),
      liveCloud: false,
      provider: () => {
        const cloud = new FakeCloudProvider();
        clouds.push(cloud);
        return cloud;
      },
    });

    expect(report.failed).toBe(0);
    const ran = report.results.filter((r) => r.status === "passed").map((r) => r.id);
    expect(ran).toContain("diff-survives-wire-round-trip");
    expect(ran).not.toContain("needs-replace");
    expect(clouds.flatMap((c) => c.calls).filter((c) => c.op === "create")).toEqual([]);
  });

  it("refuses a skip entry naming no scenario", async () => {
    await expect(runConformance({ ...fake([]), skip: { "needs-replce": "typo" } })).rejects.toThrow(
      /unknown scenario\(s\) needs-replce/,
    );
  });

  it("fails a scenario that overruns its time limit", async () => {
    const { result } = await runScenario(scenario("outputs-consistency"), {
      ...fake([], { latency_ms: 200 }),
      timeoutMs: 50,
    });

    expect(result).toMatchObject({
      status: "failed",
      reason:
        "check time: the scenario finishes within timeoutMs — expected at most 50 ms, got still running",
    });
  });
});
