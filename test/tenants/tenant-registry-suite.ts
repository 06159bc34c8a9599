import { describe, expect, it } from "vitest";
import {
  ErrResourceAlreadyExists,
  ErrResourceNotFound,
  ErrValidation,
} from "../../src/contracts/index.js";
import { type FreshDatabase, registryFixtures, rejectsWith } from "./registry-database.js";

/**
 * The TenantRegistry contract of SqlTenantRegistry, run against a real database of
 * each dialect. `fresh` creates an empty database; the suite migrates it.
 */
export function tenantRegistrySuite(fresh: FreshDatabase): void {
  const fixtures = registryFixtures(fresh);
  const open = async () => (await fixtures.open()).registry;

  describe("ensure", () => {
    it("creates an active tenant with an id, its name, slug, lower-cased domains and metadata", async () => {
      const registry = await open();
      const acme = await registry.ensure({
        name: "Acme",
        slug: "acme",
        domains: ["ACME.test", "www.Acme.Test"],
        metadata: { plan: "gold", limits: { users: 5 } },
      });
      expect(acme.id).toMatch(/\S/);
      expect(acme).toEqual({
        id: acme.id,
        name: "Acme",
        slug: "acme",
        domains: ["acme.test", "www.acme.test"],
        metadata: { plan: "gold", limits: { users: 5 } },
        is_active: true,
      });
      expect(await registry.getByID(acme.id)).toEqual(acme);
    });

    it("of an existing slug returns the stored tenant unchanged", async () => {
      const registry = await open();
      const first = await registry.ensure({ name: "Acme", slug: "acme", domains: ["acme.test"] });
      const again = await registry.ensure({
        name: "Other name",
        slug: "acme",
        domains: ["other.test"],
        metadata: { plan: "gold" },
      });
      expect(again).toEqual(first);
      expect(await registry.getBySlug("acme")).toEqual(first);
      await rejectsWith(registry.getByDomain("other.test"), ErrResourceNotFound);
    });

    it("10 concurrent ensures of one slug make one tenant", async () => {
      const registry = await open();
      const tenants = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          registry.ensure({ name: `Acme ${i}`, slug: "acme", domains: ["acme.test"] }),
        ),
      );
      expect(new Set(tenants.map((t) => t.id)).size).toBe(1);
      const listed = await registry.list();
      expect(listed.map((t) => [t.id, t.slug, t.domains])).toEqual([
        [tenants[0]?.id, "acme", ["acme.test"]],
      ]);
    });
  });

  describe("lookups", () => {
    it("find a tenant by id, slug and domain (any case)", async () => {
      const registry = await open();
      const acme = await registry.ensure({ name: "Acme", slug: "acme", domains: ["acme.test"] });
      await registry.ensure({ name: "Globex", slug: "globex", domains: ["globex.test"] });
      expect(await registry.getByID(acme.id)).toEqual(acme);
      expect(await registry.getBySlug("acme")).toEqual(acme);
      expect(await registry.getByDomain("acme.test")).toEqual(acme);
      expect(await registry.getByDomain("ACME.test")).toEqual(acme);
    });

    it("of an unknown id, slug or domain reject with not found", async () => {
      const registry = await open();
      await registry.ensure({ name: "Acme", slug: "acme", domains: ["acme.test"] });
      await rejectsWith(
        registry.getByID("00000000-0000-7000-8000-000000000000"),
        ErrResourceNotFound,
      );
      await rejectsWith(registry.getBySlug("globex"), ErrResourceNotFound);
      await rejectsWith(registry.getByDomain("globex.test"), ErrResourceNotFound);
    });
  });

  describe("list", () => {
    const seeded = async () => {
      const registry = await open();
      // Created out of order: list orders by slug.
      for (const slug of ["delta", "alpha", "charlie", "bravo"]) {
        await registry.ensure({ name: slug, slug, domains: [`${slug}.test`] });
      }
      const charlie = await registry.getBySlug("charlie");
      await registry.disable(charlie.id);
      return registry;
    };
    const slugs = (tenants: { slug: string }[]) => tenants.map((t) => t.slug);

    it("gives every tenant ordered by slug, with its domains, without a filter", async () => {
      const registry = await seeded();
      const all = await registry.list();
      expect(slugs(all)).toEqual(["alpha", "bravo", "charlie", "delta"]);
      expect(all[0]?.domains).toEqual(["alpha.test"]);
      expect(slugs(await registry.list({}))).toEqual(slugs(all));
    });

    it("filters by active_only, slug and domain (any case)", async () => {
      const registry = await seeded();
      expect(slugs(await registry.list({ active_only: true }))).toEqual([
        "alpha",
        "bravo",
        "delta",
      ]);
      expect(slugs(await registry.list({ active_only: false }))).toHaveLength(4);
      expect(slugs(await registry.list({ slug: "bravo" }))).toEqual(["bravo"]);
      expect(slugs(await registry.list({ domain: "DELTA.test" }))).toEqual(["delta"]);
      expect(await registry.list({ domain: "nowhere.test" })).toEqual([]);
      expect(await registry.list({ slug: "charlie", active_only: true })).toEqual([]);
    });

    it("pages with limit and offset, alone or together", async () => {
      const registry = await seeded();
      expect(slugs(await registry.list({ limit: 2 }))).toEqual(["alpha", "bravo"]);
      expect(slugs(await registry.list({ limit: 2, offset: 2 }))).toEqual(["charlie", "delta"]);
      expect(slugs(await registry.list({ offset: 3 }))).toEqual(["delta"]);
      expect(slugs(await registry.list({ active_only: true, limit: 1, offset: 2 }))).toEqual([
        "delta",
      ]);
    });

    it("rejects a negative limit or offset as invalid", async () => {
      const registry = await seeded();
      await rejectsWith(registry.list({ limit: -1 }), ErrValidation);
      await rejectsWith(registry.list({ offset: -1 }), ErrValidation);
    });
  });

  describe("update", () => {
    it("replaces the fields a patch has and leaves the others", async () => {
      const registry = await open();
      const acme = await registry.ensure({
        name: "Acme",
        slug: "acme",
        domains: ["acme.test"],
        metadata: { plan: "gold" },
      });
      const renamed = await registry.update(acme.id, { name: "Acme Ltd" });
      expect(renamed).toEqual({ ...acme, name: "Acme Ltd" });
      expect(await registry.getByID(acme.id)).toEqual(renamed);

      const patched = await registry.update(acme.id, {
        metadata: { tier: 2 },
        domains: ["NEW.acme.test", "acme.example"],
        is_active: false,
      });
      const expected = {
        ...renamed,
        metadata: { tier: 2 },
        domains: ["new.acme.test", "acme.example"],
        is_active: false,
      };
      expect(patched).toEqual(expected);
      expect(await registry.getByID(acme.id)).toEqual(expected);
      await rejectsWith(registry.getByDomain("acme.test"), ErrResourceNotFound);
      expect((await registry.getByDomain("acme.example")).id).toBe(acme.id);

      expect(await registry.update(acme.id, { is_active: true })).toEqual({
        ...expected,
        is_active: true,
      });
    });

    it("with domains [] removes all of them", async () => {
      const registry = await open();
      const acme = await registry.ensure({ name: "Acme", slug: "acme", domains: ["acme.test"] });
      expect((await registry.update(acme.id, { domains: [] })).domains).toEqual([]);
      expect((await registry.getByID(acme.id)).domains).toEqual([]);
      await rejectsWith(registry.getByDomain("acme.test"), ErrResourceNotFound);
    });

    it("of an unknown id rejects with not found; an empty name is invalid", async () => {
      const registry = await open();
      const acme = await registry.ensure({ name: "Acme", slug: "acme" });
      await rejectsWith(
        registry.update("00000000-0000-7000-8000-000000000000", { name: "x" }),
        ErrResourceNotFound,
      );
      await rejectsWith(registry.update(acme.id, { name: "  " }), ErrValidation);
      expect((await registry.getByID(acme.id)).name).toBe("Acme");
    });
  });

  describe("disable", () => {
    it("deactivates a tenant that lookups still return, and active_only leaves out", async () => {
      const registry = await open();
      const acme = await registry.ensure({ name: "Acme", slug: "acme", domains: ["acme.test"] });
      await registry.disable(acme.id);
      expect(await registry.getByID(acme.id)).toEqual({ ...acme, is_active: false });
      expect((await registry.getByDomain("acme.test")).is_active).toBe(false);
      expect(await registry.list({ active_only: true })).toEqual([]);
    });

    it("of an unknown id rejects with not found", async () => {
      const registry = await open();
      await rejectsWith(
        registry.disable("00000000-0000-7000-8000-000000000000"),
        ErrResourceNotFound,
      );
    });
  });

  describe("uniqueness and validation", () => {
    it("refuses to ensure a tenant with another tenant's domain, naming both, and writes nothing", async () => {
      const registry = await open();
      await registry.ensure({ name: "Acme", slug: "acme", domains: ["acme.test"] });
      const message = await rejectsWith(
        registry.ensure({ name: "Globex", slug: "globex", domains: ["globex.test", "ACME.test"] }),
        ErrResourceAlreadyExists,
      );
      expect(message).toContain("acme.test");
      expect(message).toContain('"acme"');
      await rejectsWith(registry.getBySlug("globex"), ErrResourceNotFound);
      await rejectsWith(registry.getByDomain("globex.test"), ErrResourceNotFound);
      expect((await registry.list()).map((t) => t.slug)).toEqual(["acme"]);
    });

    it("refuses to update a tenant onto another tenant's domain, and keeps its old domains", async () => {
      const registry = await open();
      await registry.ensure({ name: "Acme", slug: "acme", domains: ["acme.test"] });
      const globex = await registry.ensure({
        name: "Globex",
        slug: "globex",
        domains: ["globex.test"],
      });
      const message = await rejectsWith(
        registry.update(globex.id, { name: "Globex 2", domains: ["globex.example", "acme.test"] }),
        ErrResourceAlreadyExists,
      );
      expect(message).toContain("acme.test");
      expect(message).toContain('"acme"');
      expect(await registry.getByID(globex.id)).toEqual(globex);
      await rejectsWith(registry.getByDomain("globex.example"), ErrResourceNotFound);
      expect((await registry.getByDomain("acme.test")).slug).toBe("acme");
    });

    it.each([
      ["upper case", "Acme"],
      ["a leading dash", "-x"],
      ["a trailing dash", "x-"],
      ["64 characters", "a".repeat(64)],
      ["an underscore", "a_b"],
      ["nothing", ""],
    ])("rejects a slug with %s as invalid", async (_, slug) => {
      const registry = await open();
      await rejectsWith(registry.ensure({ name: "Acme", slug }), ErrValidation);
      expect(await registry.list()).toEqual([]);
    });

    it("accepts a slug of 63 characters", async () => {
      const registry = await open();
      const slug = "a".repeat(63);
      expect((await registry.ensure({ name: "Long", slug })).slug).toBe(slug);
    });

    it("rejects an empty name as invalid", async () => {
      const registry = await open();
      await rejectsWith(registry.ensure({ name: " ", slug: "acme" }), ErrValidation);
    });

    it.each(["acme.test:8080", "http://x", "acme.test/path", ""])(
      "rejects domain %j as invalid, on ensure and on update",
      async (domain) => {
        const registry = await open();
        await rejectsWith(
          registry.ensure({ name: "Acme", slug: "acme", domains: [domain] }),
          ErrValidation,
        );
        expect(await registry.list()).toEqual([]);
        const globex = await registry.ensure({ name: "Globex", slug: "globex" });
        await rejectsWith(registry.update(globex.id, { domains: [domain] }), ErrValidation);
      },
    );
  });
}
