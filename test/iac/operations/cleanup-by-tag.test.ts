import { describe, expect, it } from "vitest";
import { cleanupByTag, ENUMERATOR_MISSING } from "../../../src/iac/operations/index.js";
import { ProviderSet } from "../../../src/iac/provider-set.js";
import { fakeProvider, unimplemented } from "./operation-fixtures.js";

async function tagged(config: Record<string, unknown> = {}) {
  const cloud = await fakeProvider({ capabilities: ["enumerator"], ...config });
  cloud.seed({ name: "ci-1", type: "infra.app", config: {}, tags: ["ci"] });
  cloud.seed({ name: "ci-2", type: "infra.vpc", config: {}, tags: ["ci"] });
  cloud.seed({ name: "prod", type: "infra.app", config: {}, tags: ["prod"] });
  return cloud;
}

const names = (cloud: { records(): { name: string }[] }) =>
  cloud
    .records()
    .map((r) => r.name)
    .sort();

describe("cleanupByTag", () => {
  it("skips providers without an Enumerator, with the line the CLI prints", async () => {
    const plain = await fakeProvider();
    const remote = await tagged();
    remote.enumerateByTag = unimplemented("EnumerateByTag");

    const reports = await cleanupByTag({
      tag: "ci",
      providers: ProviderSet.of({ plain, remote }),
      fix: true,
    });

    expect(reports.map((r) => `skipped ${r.provider}: ${r.skipped}`)).toEqual([
      "skipped plain: provider does not implement Enumerator",
      "skipped remote: provider does not implement Enumerator",
    ]);
    expect(reports[0]?.skipped).toBe(ENUMERATOR_MISSING);
    expect(names(remote)).toEqual(["ci-1", "ci-2", "prod"]);
  });

  it("only lists what carries the tag on a dry run", async () => {
    const cloud = await tagged();

    const [report] = await cleanupByTag({
      tag: "ci",
      providers: ProviderSet.of({ cloud }),
      fix: false,
    });

    expect(report?.found.map((r) => `${r.type}/${r.name}`).sort()).toEqual([
      "infra.app/ci-1",
      "infra.vpc/ci-2",
    ]);
    expect(report?.deleted).toEqual([]);
    expect(names(cloud)).toEqual(["ci-1", "ci-2", "prod"]);
  });

  it("deletes what carries the tag with fix", async () => {
    const cloud = await tagged();

    const [report] = await cleanupByTag({
      tag: "ci",
      providers: ProviderSet.of({ cloud }),
      fix: true,
    });

    expect(report?.deleted.sort()).toEqual(["ci-1", "ci-2"]);
    expect(report?.errors).toEqual([]);
    expect(names(cloud)).toEqual(["prod"]);
  });

  it("collects failures per provider and goes on with the rest", async () => {
    const flaky = await tagged({ fail_on: { "ci-1": ["delete"] } });
    const broken = await tagged();
    broken.enumerateByTag = async () => {
      throw new Error("403 from the tagging API");
    };
    const healthy = await tagged();

    const reports = await cleanupByTag({
      tag: "ci",
      providers: ProviderSet.of({ flaky, broken, healthy }),
      fix: true,
    });

    expect(reports[0]).toMatchObject({
      provider: "flaky",
      deleted: ["ci-2"],
      errors: [
        { resource: "infra.app/ci-1", message: 'fakecloud: injected delete failure for "ci-1"' },
      ],
    });
    expect(reports[1]?.errors).toEqual([
      { message: 'listing resources tagged "ci" failed: 403 from the tagging API' },
    ]);
    expect(names(healthy)).toEqual(["prod"]);
  });
});
