import { describe, expect, it } from "vitest";
import { resourceStatuses } from "../../../src/iac/operations/index.js";
import { ProviderSet } from "../../../src/iac/provider-set.js";
import { entryFor, fakeProvider, storeWith, unimplemented } from "./operation-fixtures.js";

async function twoProviders() {
  const east = await fakeProvider();
  const west = await fakeProvider();
  const api = east.seed({ name: "api", type: "infra.app", config: {} });
  const db = west.seed({ name: "db", type: "infra.database", config: {} });
  const store = await storeWith([
    entryFor(api, { provider: "east" }),
    entryFor(db, { provider: "west" }),
  ]);
  return { east, west, store, providers: ProviderSet.of({ east, west }) };
}

describe("resourceStatuses", () => {
  it("asks each provider for the status of its resources", async () => {
    const { store, providers } = await twoProviders();

    const report = await resourceStatuses({ providers, store });

    expect(report.warnings).toEqual([]);
    expect(report.statuses.map((s) => [s.name, s.status])).toEqual([
      ["api", "running"],
      ["db", "running"],
    ]);
  });

  it("turns a provider's failure into a warning and reports its resources as unknown", async () => {
    const { west, store, providers } = await twoProviders();
    west.status = async () => {
      throw new Error("west: 503 from the API");
    };

    const report = await resourceStatuses({ providers, store });

    expect(report.statuses.map((s) => [s.name, s.status])).toEqual([
      ["api", "running"],
      ["db", "unknown"],
    ]);
    expect(report.warnings).toEqual(['provider "west": status failed: west: 503 from the API']);
  });

  it("warns when a provider does not report status", async () => {
    const { east, store, providers } = await twoProviders();
    east.status = unimplemented("Status");

    const report = await resourceStatuses({ providers, store });

    expect(report.warnings).toEqual(['provider "east" does not report status']);
    expect(report.statuses[0]).toMatchObject({ name: "api", status: "unknown" });
  });
});
