import { expect, it } from "vitest";
import { ErrResourceNotFound } from "../../src/contracts/index.js";
import { SqlTenantRegistry } from "../../src/tenants/sql-tenant-registry.js";
import { type FreshDatabase, registryFixtures, rejectsWith, within } from "./registry-database.js";

/** Other processes' writes must show within this long (poll interval 1 s, the default). */
const FRESH_WITHIN_MS = 2_000;

/**
 * Resolves right after the cache's next poll of `registry`'s revision has finished
 * (so it has dropped whatever it had cached before a write of the test's). The next
 * poll is then a poll interval away: a write made now is certainly not seen at once.
 */
function nextPoll(registry: SqlTenantRegistry): Promise<void> {
  const read = registry.revision.bind(registry);
  return new Promise((resolve) => {
    registry.revision = async () => {
      registry.revision = read;
      const revision = await read();
      setTimeout(resolve, 0);
      return revision;
    };
  });
}

/**
 * CachedTenantRegistry over a real database of each dialect. "Another process" is a
 * second registry on its own connection to the same database.
 */
export function cachedTenantRegistrySuite(fresh: FreshDatabase): void {
  const fixtures = registryFixtures(fresh);
  /** A started cached registry, and an uncached one on another connection ("another process"). */
  const twoProcesses = async () => {
    const { db, connect } = await fixtures.open();
    const inner = new SqlTenantRegistry(db);
    const cached = fixtures.cached(inner);
    await cached.start();
    const other = new SqlTenantRegistry(await connect());
    return { inner, cached, other };
  };

  it("shows its own writes at once, even for keys it has cached", async () => {
    const { cached } = await twoProcesses();
    const acme = await cached.ensure({ name: "Acme", slug: "acme", domains: ["acme.test"] });
    expect((await cached.getByDomain("acme.test")).name).toBe("Acme");
    expect((await cached.getBySlug("acme")).name).toBe("Acme");

    await cached.update(acme.id, { name: "Acme Ltd", domains: ["acme.example"] });
    expect((await cached.getBySlug("acme")).name).toBe("Acme Ltd");
    expect((await cached.getByID(acme.id)).domains).toEqual(["acme.example"]);
    expect(await cached.find("domain", "acme.test")).toBeNull();
    expect((await cached.getByDomain("acme.example")).id).toBe(acme.id);

    await cached.disable(acme.id);
    expect((await cached.getByID(acme.id)).is_active).toBe(false);
  });

  it("serves lookups from memory, and sees another process's update within 2 s", async () => {
    const { inner, cached, other } = await twoProcesses();
    const acme = await other.ensure({ name: "Acme", slug: "acme", domains: ["acme.test"] });
    await nextPoll(inner);
    expect((await cached.getBySlug("acme")).name).toBe("Acme");
    expect((await cached.getByDomain("ACME.test")).name).toBe("Acme");

    await other.update(acme.id, { name: "Acme Ltd" });
    // Cached: the other process's write is not seen yet...
    expect((await cached.getBySlug("acme")).name).toBe("Acme");
    expect((await cached.getByDomain("acme.test")).name).toBe("Acme");
    // ...but it is soon after.
    const seenAfter = await within(
      FRESH_WITHIN_MS,
      async () => (await cached.getBySlug("acme")).name === "Acme Ltd",
    );
    expect(seenAfter).toBeDefined();
    expect((await cached.getByDomain("acme.test")).name).toBe("Acme Ltd");
  });

  it("sees another process's disable within 2 s", async () => {
    const { inner, cached, other } = await twoProcesses();
    const acme = await other.ensure({ name: "Acme", slug: "acme" });
    await nextPoll(inner);
    expect((await cached.getByID(acme.id)).is_active).toBe(true);

    await other.disable(acme.id);
    expect((await cached.getByID(acme.id)).is_active).toBe(true);
    expect(
      await within(FRESH_WITHIN_MS, async () => !(await cached.getByID(acme.id)).is_active),
    ).toBeDefined();
  });

  it("caches an unknown key as none until another process creates it, then sees it within 2 s", async () => {
    const { inner, cached, other } = await twoProcesses();
    expect(await cached.find("slug", "globex")).toBeNull();
    expect(await cached.find("domain", "globex.test")).toBeNull();

    await nextPoll(inner);
    const globex = await other.ensure({ name: "Globex", slug: "globex", domains: ["globex.test"] });
    expect(await cached.find("slug", "globex")).toBeNull();
    expect(await cached.find("domain", "globex.test")).toBeNull();
    expect(
      await within(
        FRESH_WITHIN_MS,
        async () => (await cached.find("slug", "globex"))?.id === globex.id,
      ),
    ).toBeDefined();
    expect((await cached.find("domain", "globex.test"))?.id).toBe(globex.id);
  });

  it("a key cached as none is found at once after a write through the cache", async () => {
    const { cached } = await twoProcesses();
    expect(await cached.find("slug", "globex")).toBeNull();
    await rejectsWith(cached.getBySlug("globex"), ErrResourceNotFound);
    const globex = await cached.ensure({ name: "Globex", slug: "globex" });
    expect((await cached.find("slug", "globex"))?.id).toBe(globex.id);
    expect(await cached.getBySlug("globex")).toEqual(globex);
  });

  it("after stop(), sees no other process's writes", async () => {
    const { inner, cached, other } = await twoProcesses();
    const acme = await other.ensure({ name: "Acme", slug: "acme" });
    await nextPoll(inner);
    expect((await cached.getBySlug("acme")).name).toBe("Acme");
    cached.stop();
    await other.update(acme.id, { name: "Acme Ltd" });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await cached.getBySlug("acme")).name).toBe("Acme");
  });
}
