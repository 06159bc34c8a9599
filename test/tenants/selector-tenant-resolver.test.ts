import { afterEach, describe, expect, it } from "vitest";
import {
  ErrForbidden,
  type Tenant,
  type TenantRequest,
  type TenantSpec,
} from "../../src/contracts/index.js";
import { SqliteDatabase } from "../../src/engine/database/sqlite-database.js";
import { CachedTenantRegistry } from "../../src/tenants/cached-tenant-registry.js";
import {
  type ResolverMode,
  SelectorTenantResolver,
} from "../../src/tenants/selector-tenant-resolver.js";
import { createSelector, type SelectorConfig } from "../../src/tenants/selectors.js";
import { SqlTenantRegistry } from "../../src/tenants/sql-tenant-registry.js";
import { migrateTenantRegistry, rejectsWith } from "./registry-database.js";

const opened: SqliteDatabase[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.close()));
});

/** A registry holding acme, globex and the disabled initech (plus `extra`), and its tenants by slug. */
async function registryWith(...extra: TenantSpec[]) {
  const db = new SqliteDatabase({ name: "tenants", path: ":memory:" });
  opened.push(db);
  await migrateTenantRegistry(db);
  const sql = new SqlTenantRegistry(db);
  const tenants: Record<string, Tenant> = {};
  for (const spec of [
    { name: "Acme", slug: "acme", domains: ["acme.test", "localhost"] },
    { name: "Globex", slug: "globex", domains: ["globex.test"] },
    { name: "Initech", slug: "initech", domains: ["initech.test"] },
    ...extra,
  ]) {
    tenants[spec.slug] = await sql.ensure(spec);
  }
  await sql.disable(String(tenants.initech?.id));
  return { registry: new CachedTenantRegistry(sql), tenants };
}

const HEADER: SelectorConfig = { type: "header", name: "x-tenant" };
const HOST: SelectorConfig = { type: "host" };
const PATH: SelectorConfig = { type: "path_prefix" };

async function resolver(
  mode: ResolverMode,
  selectors: SelectorConfig[],
  options: { extra?: TenantSpec; minVotes?: number } = {},
) {
  const { registry, tenants } = await registryWith(...(options.extra ? [options.extra] : []));
  const resolve = new SelectorTenantResolver({
    registry,
    selectors: selectors.map(createSelector),
    mode,
    ...(options.minVotes !== undefined ? { minVotes: options.minVotes } : {}),
  });
  return { resolve: (req: TenantRequest) => resolve.resolve(req), tenants };
}

/** A request with `x-tenant`, `host` and path as given (absent ones left out). */
function req(parts: { header?: string; host?: string; path?: string }): TenantRequest {
  const headers: Record<string, string> = {};
  if (parts.header !== undefined) headers["x-tenant"] = parts.header;
  if (parts.host !== undefined) headers.host = parts.host;
  return { headers, url: parts.path ?? "/" };
}

const slugOf = (tenant: Tenant | undefined) => tenant?.slug;

describe("first_match", () => {
  it("takes the first selector whose key names a tenant", async () => {
    const { resolve } = await resolver("first_match", [HEADER, HOST]);
    expect(slugOf(await resolve(req({ header: "globex", host: "acme.test" })))).toBe("globex");
    expect(slugOf(await resolve(req({ header: "nobody", host: "acme.test" })))).toBe("acme");
    expect(slugOf(await resolve(req({ host: "ACME.test:8080" })))).toBe("acme");
  });

  it("resolves to none when no key names a tenant", async () => {
    const { resolve } = await resolver("first_match", [HEADER, HOST]);
    expect(await resolve(req({ header: "nobody", host: "nowhere.test" }))).toBeUndefined();
    expect(await resolve(req({}))).toBeUndefined();
  });

  it("resolves a disabled tenant to none", async () => {
    const { resolve } = await resolver("first_match", [HEADER, HOST]);
    expect(await resolve(req({ header: "initech" }))).toBeUndefined();
    expect(await resolve(req({ host: "initech.test" }))).toBeUndefined();
  });
});

describe("all_must_match", () => {
  it("resolves the tenant every matching selector names", async () => {
    const { resolve } = await resolver("all_must_match", [HEADER, HOST]);
    expect(slugOf(await resolve(req({ header: "acme", host: "acme.test" })))).toBe("acme");
    // A selector that does not match has no say.
    expect(slugOf(await resolve(req({ host: "acme.test" })))).toBe("acme");
  });

  it("refuses selectors naming different tenants as forbidden, naming both", async () => {
    const { resolve } = await resolver("all_must_match", [HEADER, HOST]);
    const message = await rejectsWith(
      resolve(req({ header: "globex", host: "acme.test" })),
      ErrForbidden,
    );
    expect(message).toContain("globex");
    expect(message).toContain("acme");
  });

  it("refuses a key naming no tenant next to one naming a tenant as forbidden", async () => {
    const { resolve } = await resolver("all_must_match", [HEADER, HOST]);
    await rejectsWith(resolve(req({ header: "nobody", host: "acme.test" })), ErrForbidden);
  });

  it("resolves to none when no selector matched", async () => {
    const { resolve } = await resolver("all_must_match", [HEADER, HOST]);
    expect(await resolve(req({}))).toBeUndefined();
  });

  it("resolves an agreed but disabled tenant to none", async () => {
    const { resolve } = await resolver("all_must_match", [HEADER, HOST]);
    expect(await resolve(req({ header: "initech", host: "initech.test" }))).toBeUndefined();
  });
});

describe("consensus of 3 selectors", () => {
  const SELECTORS = [HEADER, HOST, PATH];

  it("resolves the tenant 2 of them name", async () => {
    const { resolve } = await resolver("consensus", SELECTORS);
    expect(
      slugOf(await resolve(req({ header: "acme", host: "acme.test", path: "/t/globex/x" }))),
    ).toBe("acme");
    expect(
      slugOf(await resolve(req({ header: "globex", host: "acme.test", path: "/t/globex/x" }))),
    ).toBe("globex");
  });

  it("resolves to none with a single vote", async () => {
    const { resolve } = await resolver("consensus", SELECTORS);
    expect(await resolve(req({ host: "acme.test" }))).toBeUndefined();
    expect(
      await resolve(req({ header: "acme", host: "globex.test", path: "/t/nobody/x" })),
    ).toBeUndefined();
  });

  it("with min votes 3, resolves 2 votes to none", async () => {
    const { resolve } = await resolver("consensus", SELECTORS, { minVotes: 3 });
    expect(await resolve(req({ header: "acme", host: "acme.test", path: "/x" }))).toBeUndefined();
    expect(
      slugOf(await resolve(req({ header: "acme", host: "acme.test", path: "/t/acme/x" }))),
    ).toBe("acme");
  });

  it("with min votes 1, refuses two tenants that both reach it as forbidden", async () => {
    const { resolve } = await resolver("consensus", SELECTORS, { minVotes: 1 });
    expect(slugOf(await resolve(req({ host: "globex.test" })))).toBe("globex");
    await rejectsWith(resolve(req({ header: "acme", host: "globex.test" })), ErrForbidden);
  });
});

describe("lookup modes", () => {
  it("auto looks a key up as a slug, then as a domain", async () => {
    const { resolve } = await resolver("first_match", [HEADER]);
    expect(slugOf(await resolve(req({ header: "acme" })))).toBe("acme");
    expect(slugOf(await resolve(req({ header: "ACME.test" })))).toBe("acme");
    // Slug-like, but no tenant has that slug: found as a domain.
    expect(slugOf(await resolve(req({ header: "localhost" })))).toBe("acme");
  });

  it("auto prefers a tenant's slug over another tenant's domain", async () => {
    const { resolve } = await resolver("first_match", [HEADER], {
      extra: { name: "Hooli", slug: "hooli", domains: ["globex"] },
    });
    expect(slugOf(await resolve(req({ header: "globex" })))).toBe("globex");
  });

  it("id looks a key up as an id only", async () => {
    const { resolve, tenants } = await resolver("first_match", [{ ...HEADER, lookup: "id" }]);
    expect(slugOf(await resolve(req({ header: String(tenants.globex?.id) })))).toBe("globex");
    expect(await resolve(req({ header: "globex" }))).toBeUndefined();
  });

  it("slug and domain look a key up that way only", async () => {
    const bySlug = await resolver("first_match", [{ ...HEADER, lookup: "slug" }]);
    expect(slugOf(await bySlug.resolve(req({ header: "acme" })))).toBe("acme");
    expect(await bySlug.resolve(req({ header: "acme.test" }))).toBeUndefined();
    const byDomain = await resolver("first_match", [{ ...HEADER, lookup: "domain" }]);
    expect(slugOf(await byDomain.resolve(req({ header: "Acme.Test" })))).toBe("acme");
    expect(await byDomain.resolve(req({ header: "acme" }))).toBeUndefined();
  });
});
