import { setTimeout as delay } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ResourceState } from "../../../src/contracts/index.js";
import { WfError } from "../../../src/diagnostics/index.js";
import { StateLockedError } from "../../../src/iac/state/state-locked-error.js";
import {
  type LockHolder,
  type LockIdentity,
  STATE_LOCK,
  type StateStore,
} from "../../../src/iac/state/state-store.js";
import {
  alice,
  awkwardNames,
  bob,
  deadPid,
  host,
  intent,
  plan,
  rejection,
  resourceState,
} from "./store-fixtures.js";

/**
 * The conformance suite every StateStore backend runs (Terraform's
 * TestBackendStateLocks habit): round trips, durability across reopen, version
 * refusal, and two stores on the same state — as two processes would have — contending
 * for the lock.
 */
export interface StoreFixture {
  /** Opens a store on this fixture's state, as a process with `identity` would. */
  open(identity: LockIdentity): Promise<StateStore>;
  /** Makes the persisted state look written by a newer wfctl (format version 2). */
  writeNewerFormat(): Promise<void>;
  /** Removes what the fixture created. */
  dispose(): Promise<void>;
}

export function testStateStore(name: string, makeFixture: () => Promise<StoreFixture>): void {
  describe(`StateStore conformance: ${name}`, () => {
    let fixture: StoreFixture;
    let opened: StateStore[];

    const open = async (identity: LockIdentity = alice) => {
      const store = await fixture.open(identity);
      opened.push(store);
      return store;
    };
    /** Closes `store` and opens the same state again, as a later run would. */
    const reopen = async (store: StateStore, identity: LockIdentity = alice) => {
      await store.close();
      return open(identity);
    };

    beforeEach(async () => {
      fixture = await makeFixture();
      opened = [];
    });
    afterEach(async () => {
      for (const store of opened) await store.close();
      await fixture.dispose();
    });

    describe("resources", () => {
      it("round-trips every field, durably across a reopen", async () => {
        const store = await open();
        const saved = resourceState("db");
        const before = new Date().toISOString();
        await store.saveResource(saved);
        const check = async (s: StateStore) => {
          const got = await s.getResource("db");
          expect(got).toEqual({ ...saved, updated_at: expect.any(String) });
          expect(got && got.updated_at >= before).toBe(true);
        };
        await check(store);
        await check(await reopen(store));
      });

      it("keeps applied_config_source and last_drift_check", async () => {
        const store = await open();
        await store.saveResource(resourceState("adopted", { applied_config_source: "adoption" }));
        const legacy: Partial<ResourceState> = resourceState("legacy");
        delete legacy.applied_config_source;
        delete legacy.last_drift_check;
        await store.saveResource(legacy as ResourceState);
        const again = await reopen(store);
        expect((await again.getResource("adopted"))?.applied_config_source).toBe("adoption");
        expect((await again.getResource("adopted"))?.last_drift_check).toBe(
          "2024-02-03T04:05:06.000Z",
        );
        const reloaded = await again.getResource("legacy");
        expect(reloaded?.applied_config_source).toBeUndefined();
        expect(reloaded?.last_drift_check).toBeUndefined();
      });

      it("upserts by name, keeping the first created_at and stamping updated_at", async () => {
        const store = await open();
        await store.saveResource(resourceState("db", { created_at: "2020-01-01T00:00:00.000Z" }));
        const first = await store.getResource("db");
        await delay(5);
        await store.saveResource(
          resourceState("db", { created_at: "2030-01-01T00:00:00.000Z", provider_id: "new-id" }),
        );
        const second = await (await reopen(store)).getResource("db");
        expect(second?.created_at).toBe("2020-01-01T00:00:00.000Z");
        expect(second?.provider_id).toBe("new-id");
        expect(second && first && second.updated_at > first.updated_at).toBe(true);
      });

      it("stamps created_at on a new record that has none", async () => {
        const store = await open();
        const before = new Date().toISOString();
        await store.saveResource(resourceState("db", { created_at: "" }));
        const got = await store.getResource("db");
        expect(got?.created_at && got.created_at >= before).toBe(true);
      });

      it("gives undefined for an unknown name and deletes idempotently", async () => {
        const store = await open();
        expect(await store.getResource("nope")).toBeUndefined();
        await store.deleteResource("nope");
        await store.saveResource(resourceState("db"));
        await store.deleteResource("db");
        await store.deleteResource("db");
        expect(await store.getResource("db")).toBeUndefined();
        expect(await (await reopen(store)).listResources()).toEqual([]);
      });

      it("lists resources sorted by name", async () => {
        const store = await open();
        for (const n of ["web", "api", "db", "Zeta", "cache"])
          await store.saveResource(resourceState(n));
        const names = (await store.listResources()).map((r) => r.name);
        expect(names).toEqual(["Zeta", "api", "cache", "db", "web"]);
      });

      it("stores awkward names distinctly and returns them verbatim", async () => {
        const store = await open();
        for (const [i, n] of awkwardNames.entries()) {
          await store.saveResource(resourceState(n, { provider_id: `id-${i}` }));
        }
        const again = await reopen(store);
        for (const [i, n] of awkwardNames.entries()) {
          expect((await again.getResource(n))?.provider_id).toBe(`id-${i}`);
        }
        expect((await again.listResources()).map((r) => r.name)).toEqual([...awkwardNames].sort());
      });

      it("persists concurrent saves of different resources from two processes", async () => {
        const a = await open(alice);
        const b = await open(bob);
        const names = (prefix: string) => Array.from({ length: 25 }, (_, i) => `${prefix}-${i}`);
        await Promise.all([
          ...names("a").map((n) => a.saveResource(resourceState(n))),
          ...names("b").map((n) => b.saveResource(resourceState(n))),
        ]);
        const listed = (await (await open()).listResources()).map((r) => r.name);
        expect(listed).toEqual([...names("a"), ...names("b")].sort());
      });
    });

    describe("plans", () => {
      it("round-trips a plan durably and gives undefined for an unknown id", async () => {
        const store = await open();
        await store.savePlan(plan("plan-1"));
        expect(await (await reopen(store)).getPlan("plan-1")).toEqual(plan("plan-1"));
        expect(await opened.at(-1)?.getPlan("plan-2")).toBeUndefined();
      });

      it("replaces a plan saved again under the same id", async () => {
        const store = await open();
        await store.savePlan(plan("p"));
        await store.savePlan({ ...plan("p"), plan_hash: "changed" });
        expect((await store.getPlan("p"))?.plan_hash).toBe("changed");
      });
    });

    describe("intents", () => {
      it("saves, lists by name, replaces and deletes intents durably", async () => {
        const store = await open();
        await store.saveIntent(intent("web"));
        await store.saveIntent(intent("db", "replace"));
        await store.saveIntent(intent("api"));
        const again = await reopen(store);
        expect(await again.listIntents()).toEqual([
          intent("api"),
          intent("db", "replace"),
          intent("web"),
        ]);
        await again.saveIntent(intent("web", "replace"));
        await again.deleteIntent("api");
        await again.deleteIntent("never-recorded");
        expect(await (await reopen(again)).listIntents()).toEqual([
          intent("db", "replace"),
          intent("web", "replace"),
        ]);
      });
    });

    describe("format version", () => {
      it("refuses state written by a newer wfctl, naming the version", async () => {
        const store = await open();
        await store.saveResource(resourceState("db"));
        await store.close();
        await fixture.writeNewerFormat();
        const err = await rejection(
          (async () => {
            const s = await open();
            await s.listResources();
            await s.getResource("db");
          })(),
        );
        expect(WfError.is(err) && err.code).toBe("WF_ERR_STATE_VERSION");
        expect((err as Error).message).toMatch(/format version 2/);
      });
    });

    describe("locks", () => {
      it("refuses a second holder at once, naming the first", async () => {
        const a = await open(alice);
        const b = await open(bob);
        const held = await a.lock(STATE_LOCK, 60_000);
        expect(held.holderInfo).toMatchObject({ user: "alice", host, pid: process.pid });
        const err = await rejection(b.lock(STATE_LOCK, 60_000));
        expect(err).toBeInstanceOf(StateLockedError);
        const locked = err as StateLockedError;
        expect(locked.code).toBe("WF_ERR_STATE_LOCKED");
        expect(locked.holder).toEqual(held.holderInfo);
        expect(locked.message).toContain(`alice@${host}`);
        expect(locked.message).toContain("wfctl infra apply -y");
        expect(locked.message).toContain(b.location);
        expect(await b.lockInfo(STATE_LOCK)).toEqual(held.holderInfo);
        await held.unlock();
      });

      it("gives the lock to a waiter when the holder unlocks", async () => {
        const a = await open(alice);
        const b = await open(bob);
        const held = await a.lock(STATE_LOCK, 60_000);
        setTimeout(() => void held.unlock(), 300);
        const got = await b.lock(STATE_LOCK, 60_000, { waitMs: 10_000 });
        expect(got.holderInfo.user).toBe("bob");
        expect((await a.lockInfo(STATE_LOCK))?.id).toBe(got.holderInfo.id);
        await got.unlock();
        expect(await a.lockInfo(STATE_LOCK)).toBeUndefined();
      });

      it("gives up waiting when the signal aborts", async () => {
        const a = await open(alice);
        const b = await open(bob);
        await a.lock(STATE_LOCK, 60_000);
        const signal = AbortSignal.timeout(300);
        const err = await rejection(b.lock(STATE_LOCK, 60_000, { waitMs: 30_000, signal }));
        expect(err).toBe(signal.reason);
      });

      it("takes over a lock whose TTL lapsed, reporting the previous holder", async () => {
        // A holder on another machine that stopped renewing (its store closed, as in a crash).
        const a = await open({ ...alice, host: "build-agent-7" });
        const stale = await a.lock(STATE_LOCK, 200);
        await a.close();
        await delay(300);
        const b = await open(bob);
        const takeovers: [LockHolder, string][] = [];
        const got = await b.lock(STATE_LOCK, 60_000, {
          onTakeover: (previous, reason) => takeovers.push([previous, reason]),
        });
        expect(takeovers).toEqual([[stale.holderInfo, "expired"]]);
        expect((await b.lockInfo(STATE_LOCK))?.id).toBe(got.holderInfo.id);
      });

      it("takes over the lock of a dead process on this host; the stale handle cannot release it", async () => {
        const a = await open({ ...alice, pid: await deadPid() });
        const stale = await a.lock(STATE_LOCK, 60_000);
        const b = await open(bob);
        const takeovers: [LockHolder, string][] = [];
        const got = await b.lock(STATE_LOCK, 60_000, {
          onTakeover: (previous, reason) => takeovers.push([previous, reason]),
        });
        expect(takeovers).toEqual([[stale.holderInfo, "holder_dead"]]);
        await stale.unlock();
        expect((await b.lockInfo(STATE_LOCK))?.id).toBe(got.holderInfo.id);
        await got.unlock();
      });

      it("tells a holder whose lock was taken over", async () => {
        const a = await open({ ...alice, pid: await deadPid() });
        const lost: (LockHolder | undefined)[] = [];
        await a.lock(STATE_LOCK, 300, { onLost: (current) => lost.push(current) });
        const b = await open(bob);
        const got = await b.lock(STATE_LOCK, 60_000);
        await delay(600);
        expect(lost).toEqual([got.holderInfo]);
      });

      it("keeps a short-TTL lock alive with its heartbeat", async () => {
        const a = await open(alice);
        const b = await open(bob);
        const held = await a.lock(STATE_LOCK, 600);
        await delay(1_500);
        const err = await rejection(b.lock(STATE_LOCK, 60_000));
        expect(err).toBeInstanceOf(StateLockedError);
        expect(Date.parse(held.holderInfo.expires_at)).toBeGreaterThan(Date.now());
        await held.unlock();
        expect(await b.lockInfo(STATE_LOCK)).toBeUndefined();
      });

      it("unlocks idempotently and keeps separate locks apart", async () => {
        const a = await open(alice);
        const b = await open(bob);
        const one = await a.lock("one", 60_000);
        const two = await b.lock("two", 60_000);
        await one.unlock();
        await one.unlock();
        expect(await a.lockInfo("one")).toBeUndefined();
        expect((await a.lockInfo("two"))?.user).toBe("bob");
        await two.unlock();
      });

      it("force-unlocks whoever holds the lock", async () => {
        const a = await open(alice);
        const b = await open(bob);
        expect(await b.forceUnlock(STATE_LOCK)).toBeUndefined();
        const held = await a.lock(STATE_LOCK, 60_000);
        expect(await b.forceUnlock(STATE_LOCK)).toEqual(held.holderInfo);
        expect(await b.lockInfo(STATE_LOCK)).toBeUndefined();
        const got = await b.lock(STATE_LOCK, 60_000);
        await held.unlock();
        expect((await a.lockInfo(STATE_LOCK))?.id).toBe(got.holderInfo.id);
        await got.unlock();
      });

      it("lets exactly one of several contenders win a free lock", async () => {
        const stores = await Promise.all([alice, bob, alice, bob].map((id) => open(id)));
        const results = await Promise.allSettled(stores.map((s) => s.lock(STATE_LOCK, 60_000)));
        const won = results.filter((r) => r.status === "fulfilled");
        expect(won).toHaveLength(1);
        for (const r of results) {
          if (r.status === "rejected") expect(r.reason).toBeInstanceOf(StateLockedError);
        }
      });
    });

    describe("lifecycle", () => {
      it("closes idempotently, by asyncDispose too, and refuses use afterwards", async () => {
        const store = await open();
        await store[Symbol.asyncDispose]();
        await store.close();
        const err = await rejection(store.getResource("db"));
        expect(WfError.is(err)).toBe(true);
      });

      it("rejects an aborted call", async () => {
        const store = await open();
        const controller = new AbortController();
        controller.abort(new Error("stop"));
        const err = await rejection(
          store.saveResource(resourceState("db"), { signal: controller.signal }),
        );
        expect((err as Error).message).toBe("stop");
        expect(await store.getResource("db")).toBeUndefined();
      });
    });
  });
}
