import { describe, expect, it } from "vitest";
import type { IacEvent } from "../../../src/iac/iac-events.js";
import { refreshState } from "../../../src/iac/operations/index.js";
import { ProviderSet } from "../../../src/iac/provider-set.js";
import { entryFor, fakeProvider, storeWith } from "./operation-fixtures.js";

async function cloudWithState(config: Record<string, unknown> = {}) {
  const cloud = await fakeProvider(config);
  const api = cloud.seed({ name: "api", type: "infra.app", config: { region: "eu" } });
  const db = cloud.seed({ name: "db", type: "infra.database", config: {} });
  const old = cloud.seed({ name: "old", type: "infra.vpc", config: {} });
  const vault = cloud.seed({ name: "vault", type: "infra.database", config: { protected: true } });
  const keep = { id: "stale", endpoint: "https://stale.test", note: "kept" };
  const store = await storeWith([
    entryFor(api, { outputs: keep }),
    entryFor(db, { outputs: keep }),
    entryFor(old),
    entryFor(vault),
  ]);
  return { cloud, store, providers: ProviderSet.of({ cloud }) };
}

describe("refreshState", () => {
  it("merges live outputs over stored ones and keeps keys the read no longer reports", async () => {
    const { cloud, store, providers } = await cloudWithState();

    const result = await refreshState({ providers, store, prune: false });

    expect(result).toEqual({
      refreshed: ["api", "db", "old", "vault"],
      ghosts: [],
      pruned: [],
    });
    const api = await store.getResource("api");
    const live = cloud.records().find((r) => r.name === "api")!;
    expect(api?.outputs).toMatchObject({
      id: live.id,
      endpoint: "https://api.fake.test",
      region: "eu",
      note: "kept",
    });
  });

  it("lists ghosts but keeps them in state without prune", async () => {
    const { cloud, store, providers } = await cloudWithState();
    cloud.vanish("old");

    const result = await refreshState({ providers, store, prune: false });

    expect(result.ghosts).toEqual(["old"]);
    expect(result.pruned).toEqual([]);
    expect(await store.getResource("old")).toBeDefined();
  });

  it("prunes ghosts with prune, reporting each as an event", async () => {
    const { cloud, store, providers } = await cloudWithState();
    cloud.vanish("old");
    const events: IacEvent[] = [];

    const result = await refreshState({
      providers,
      store,
      prune: true,
      onEvent: (e) => events.push(e),
    });

    expect(result.pruned).toEqual(["old"]);
    expect(await store.getResource("old")).toBeUndefined();
    expect(events).toEqual([
      { kind: "state:pruned", resource: "old", type: "infra.vpc", protected: false },
    ]);
  });

  it("changes nothing when any read fails with anything but not-found, naming it", async () => {
    const { cloud, store, providers } = await cloudWithState({ fail_on: { db: ["read"] } });
    cloud.vanish("old");
    const before = await store.listResources();

    await expect(refreshState({ providers, store, prune: true })).rejects.toThrow(
      /refresh changed nothing: .*db \(infra\.database\): fakecloud: injected read failure/,
    );
    expect(await store.listResources()).toEqual(before);
  });

  it("refuses to prune protected ghosts without allowProtectedPrune, listing them all and changing nothing", async () => {
    const { cloud, store, providers } = await cloudWithState();
    const second = cloud.seed({ name: "vault2", type: "infra.vpc", config: { protected: true } });
    await store.saveResource(entryFor(second));
    cloud.vanish("vault");
    cloud.vanish("vault2");
    cloud.vanish("old");
    const before = await store.listResources();

    const refused = refreshState({ providers, store, prune: true });

    await expect(refused).rejects.toMatchObject({ code: "WF_ERR_PROTECTED" });
    await expect(refused).rejects.toThrow(
      /2 protected resource\(s\) .*--allow-protected-prune: vault, vault2/,
    );
    expect(await store.listResources()).toEqual(before);
  });

  it("prunes protected ghosts with allowProtectedPrune", async () => {
    const { cloud, store, providers } = await cloudWithState();
    cloud.vanish("vault");
    const events: IacEvent[] = [];

    const result = await refreshState({
      providers,
      store,
      prune: true,
      allowProtectedPrune: true,
      onEvent: (e) => events.push(e),
    });

    expect(result.pruned).toEqual(["vault"]);
    expect(events).toContainEqual({
      kind: "state:pruned",
      resource: "vault",
      type: "infra.database",
      protected: true,
    });
  });

  it("reads the protected flag from applied config, not outputs", async () => {
    const { cloud, store, providers } = await cloudWithState();
    const decoy = cloud.seed({ name: "decoy", type: "infra.vpc", config: {} });
    await store.saveResource(entryFor(decoy, { outputs: { protected: true } }));
    cloud.vanish("decoy");

    const result = await refreshState({ providers, store, prune: true });

    expect(result.pruned).toEqual(["decoy"]);
  });
});
