import { describe, expect, it } from "vitest";
import { exportState, importState } from "../../../src/iac/operations/index.js";
import { entryFor, storeWith } from "./operation-fixtures.js";

const entry = (name: string) =>
  entryFor({ id: `id-${name}`, name, type: "infra.vpc", config: { cidr: name }, tags: [] });

describe("exportState / importState", () => {
  it("round-trips a whole state through a versioned JSON document", async () => {
    const withCheck = { ...entry("b"), last_drift_check: "2024-02-02T00:00:00.000Z" };
    const source = await storeWith([withCheck, { ...entry("a"), provider_ref: "ref-a" }]);

    const doc = await exportState(source, { wfctlVersion: "0.1.0" });
    const target = await storeWith([]);
    const counts = await importState(target, JSON.parse(JSON.stringify(doc)));

    expect(doc.version).toBe(1);
    expect(doc.wfctl_version).toBe("0.1.0");
    expect(doc.resources.map((r) => r.name)).toEqual(["a", "b"]);
    expect(counts).toEqual({ added: 2, updated: 0, removed: 0 });
    expect(await target.listResources()).toEqual(await source.listResources());
  });

  it("merges by name by default, and replaces everything with replace", async () => {
    const doc = { version: 1, resources: [entry("a"), entry("b")] };
    const merged = await storeWith([entry("b"), entry("c")]);
    const replaced = await storeWith([entry("b"), entry("c")]);

    expect(await importState(merged, doc)).toEqual({ added: 1, updated: 1, removed: 0 });
    expect(await importState(replaced, doc, { replace: true })).toEqual({
      added: 1,
      updated: 1,
      removed: 1,
    });
    expect((await merged.listResources()).map((r) => r.name)).toEqual(["a", "b", "c"]);
    expect((await replaced.listResources()).map((r) => r.name)).toEqual(["a", "b"]);
  });

  it("refuses a document from a newer wfctl, naming its version", async () => {
    const store = await storeWith([entry("a")]);

    const refused = importState(store, { version: 2, wfctl_version: "9.0.0", resources: [] });

    await expect(refused).rejects.toMatchObject({ code: "WF_ERR_STATE_VERSION" });
    await expect(refused).rejects.toThrow(
      /version 2, written by wfctl 9\.0\.0; this wfctl reads version 1/,
    );
    expect(await store.listResources()).toHaveLength(1);
  });

  it("lists every problem of an invalid document and imports nothing", async () => {
    const store = await storeWith([]);
    const { provider_id: _dropped, ...noProviderId } = entry("b");
    const doc = {
      version: 1,
      resources: [entry("a"), noProviderId, { ...entry("c"), dependencies: "vpc" }, entry("a")],
    };

    const refused = importState(store, doc, { source: "state.json" });

    await expect(refused).rejects.toMatchObject({ code: "WF_ERR_STATE" });
    await expect(refused).rejects.toThrow(
      'state.json is not valid: resources[1].provider_id: expected a string; resources[2].dependencies: expected an array of names; resources[3].name: "a" appears twice',
    );
    expect(await store.listResources()).toEqual([]);
  });

  it("rejects a document without a version", async () => {
    await expect(importState(await storeWith([]), { resources: [] })).rejects.toThrow(
      /version: expected 1, got undefined/,
    );
  });
});
