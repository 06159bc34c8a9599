import {
  ErrResourceAlreadyExists,
  ErrResourceNotFound,
  ErrValidation,
  type Tenant,
  type TenantFilter,
  type TenantPatch,
  type TenantRegistry,
  type TenantSpec,
  validateTenantSpec,
} from "../contracts/index.js";
import type { SqlDatabase } from "../engine/database/sql-database.js";
import { parseJsonText } from "../engine/execution-store/json-text.js";
import { isPlainObject } from "../is-record.js";
import { uuidV7 } from "../uuid-v7.js";
import {
  checkedMetadata,
  checkPatch,
  domainKey,
  normaliseDomains,
  tenantError,
} from "./tenant-values.js";

const COLUMNS = "id, name, slug, metadata, is_active";
/** Ids per `IN (…)` when reading the domains of a listed page. */
const IN_CHUNK = 500;

/**
 * The TenantRegistry in a SQL database (its tables come from
 * tenantRegistryMigrations). Uniqueness is the database's job: a slug or a domain
 * taken by another process in the meantime is refused by a constraint, so
 * concurrent `ensure` of one slug yields one tenant. No caching: see
 * CachedTenantRegistry.
 */
export class SqlTenantRegistry implements TenantRegistry {
  constructor(readonly db: SqlDatabase) {}

  async ensure(spec: TenantSpec): Promise<Tenant> {
    validateTenantSpec(spec);
    const domains = normaliseDomains(spec.domains);
    const metadata = checkedMetadata(spec.metadata);
    return this.db.transaction(async (tx) => {
      const id = uuidV7();
      const inserted = await tx.execute(
        `INSERT INTO wfctl_tenants (${COLUMNS}) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (slug) DO NOTHING`,
        [id, spec.name.trim(), spec.slug, JSON.stringify(metadata), bool(tx, true)],
      );
      if (inserted.affectedRows === 0) return load(tx, "slug", spec.slug);
      await addDomains(tx, id, domains);
      await bumpRevision(tx);
      return { id, name: spec.name.trim(), slug: spec.slug, domains, metadata, is_active: true };
    });
  }

  getByID(id: string): Promise<Tenant> {
    return load(this.db, "id", id);
  }

  getBySlug(slug: string): Promise<Tenant> {
    return load(this.db, "slug", slug);
  }

  getByDomain(domain: string): Promise<Tenant> {
    return load(this.db, "domain", domainKey(domain) ?? domain);
  }

  async list(filter: TenantFilter = {}): Promise<Tenant[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (filter.active_only) where.push(`is_active = ${param(bool(this.db, true))}`);
    if (filter.slug) where.push(`slug = ${param(filter.slug)}`);
    if (filter.domain) {
      const domain = domainKey(filter.domain) ?? filter.domain;
      where.push(
        `id IN (SELECT tenant_id FROM wfctl_tenant_domains WHERE domain = ${param(domain)})`,
      );
    }
    let page = "";
    const limit = count(filter.limit, "limit");
    const offset = count(filter.offset, "offset");
    if (limit > 0) page += ` LIMIT ${param(limit)}`;
    // SQLite has no OFFSET without LIMIT; -1 is its "no limit".
    else if (offset > 0 && this.db.dialect === "sqlite") page += " LIMIT -1";
    if (offset > 0) page += ` OFFSET ${param(offset)}`;
    const rows = await this.db.query(
      `SELECT ${COLUMNS} FROM wfctl_tenants${where.length > 0 ? ` WHERE ${where.join(" AND ")}` : ""} ORDER BY slug${page}`,
      params,
    );
    const domains = await domainsOf(
      this.db,
      rows.map((row) => String(row.id)),
    );
    return rows.map((row) => tenantOf(row, domains.get(String(row.id)) ?? []));
  }

  async update(id: string, patch: TenantPatch): Promise<Tenant> {
    checkPatch(patch);
    const domains = patch.domains === undefined ? undefined : normaliseDomains(patch.domains);
    return this.db.transaction(async (tx) => {
      const current = await load(tx, "id", id);
      const sets: string[] = [];
      const params: unknown[] = [id];
      const set = (column: string, value: unknown) => {
        params.push(value);
        sets.push(`${column} = $${params.length}`);
      };
      if (patch.name !== undefined) set("name", patch.name.trim());
      if (patch.metadata !== undefined) set("metadata", JSON.stringify(patch.metadata));
      if (patch.is_active !== undefined) set("is_active", bool(tx, patch.is_active));
      if (sets.length > 0) {
        await tx.execute(`UPDATE wfctl_tenants SET ${sets.join(", ")} WHERE id = $1`, params);
      }
      if (domains !== undefined) {
        await tx.execute("DELETE FROM wfctl_tenant_domains WHERE tenant_id = $1", [id]);
        await addDomains(tx, id, domains);
      }
      await bumpRevision(tx);
      return {
        ...current,
        ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
        ...(domains !== undefined ? { domains } : {}),
        ...(patch.metadata !== undefined ? { metadata: patch.metadata } : {}),
        ...(patch.is_active !== undefined ? { is_active: patch.is_active } : {}),
      };
    });
  }

  async disable(id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const result = await tx.execute("UPDATE wfctl_tenants SET is_active = $2 WHERE id = $1", [
        id,
        bool(tx, false),
      ]);
      if (result.affectedRows === 0) throw notFound("id", id);
      await bumpRevision(tx);
    });
  }

  /** The registry's revision: changes with every write, from any process. */
  async revision(): Promise<string> {
    const rows = await this.db.query("SELECT revision FROM wfctl_tenant_revision WHERE id = 1");
    return String(rows[0]?.revision ?? "0");
  }
}

/** What a tenant is looked up by. */
export type LookupKind = "id" | "slug" | "domain";

async function load(db: SqlDatabase, kind: LookupKind, key: string): Promise<Tenant> {
  const rows =
    kind === "domain"
      ? await db.query(
          `SELECT ${COLUMNS} FROM wfctl_tenants WHERE id = (SELECT tenant_id FROM wfctl_tenant_domains WHERE domain = $1)`,
          [key],
        )
      : await db.query(`SELECT ${COLUMNS} FROM wfctl_tenants WHERE ${kind} = $1`, [key]);
  const row = rows[0];
  if (row === undefined) throw notFound(kind, key);
  const domains = await domainsOf(db, [String(row.id)]);
  return tenantOf(row, domains.get(String(row.id)) ?? []);
}

/** The registry's error for an unknown tenant (the cache answers it the same way). */
export function notFound(kind: LookupKind, key: string): Error {
  return tenantError(ErrResourceNotFound, `no tenant with ${kind} ${JSON.stringify(key)}`);
}

/** Claims `domains` for tenant `id`; one another tenant holds is refused, naming the holder. */
async function addDomains(tx: SqlDatabase, id: string, domains: readonly string[]): Promise<void> {
  for (const [i, domain] of domains.entries()) {
    const added = await tx.execute(
      "INSERT INTO wfctl_tenant_domains (domain, tenant_id, position) VALUES ($1, $2, $3) ON CONFLICT (domain) DO NOTHING",
      [domain, id, i],
    );
    if (added.affectedRows > 0) continue;
    const holder = await tx.query(
      "SELECT t.slug FROM wfctl_tenant_domains d JOIN wfctl_tenants t ON t.id = d.tenant_id WHERE d.domain = $1",
      [domain],
    );
    throw tenantError(
      ErrResourceAlreadyExists,
      `domain ${JSON.stringify(domain)} already belongs to tenant ${JSON.stringify(holder[0]?.slug ?? "?")}`,
    );
  }
}

/** Domains of the tenants `ids`, in their stored order. */
async function domainsOf(db: SqlDatabase, ids: readonly string[]): Promise<Map<string, string[]>> {
  const byTenant = new Map<string, string[]>();
  for (let start = 0; start < ids.length; start += IN_CHUNK) {
    const chunk = ids.slice(start, start + IN_CHUNK);
    const rows = await db.query(
      `SELECT tenant_id, domain FROM wfctl_tenant_domains WHERE tenant_id IN (${chunk.map((_, i) => `$${i + 1}`).join(", ")}) ORDER BY tenant_id, position`,
      chunk,
    );
    for (const row of rows) {
      const id = String(row.tenant_id);
      const list = byTenant.get(id) ?? [];
      list.push(String(row.domain));
      byTenant.set(id, list);
    }
  }
  return byTenant;
}

async function bumpRevision(tx: SqlDatabase): Promise<void> {
  await tx.execute("UPDATE wfctl_tenant_revision SET revision = revision + 1 WHERE id = 1");
}

function tenantOf(row: Record<string, unknown>, domains: string[]): Tenant {
  const metadata = parseJsonText(row.metadata);
  return {
    id: String(row.id),
    name: String(row.name),
    slug: String(row.slug),
    domains,
    metadata: isPlainObject(metadata) ? metadata : {},
    is_active: row.is_active === true || row.is_active === 1,
  };
}

/** Booleans as each dialect binds them (better-sqlite3 takes no booleans). */
function bool(db: SqlDatabase, value: boolean): boolean | number {
  return db.dialect === "sqlite" ? (value ? 1 : 0) : value;
}

function count(value: number | undefined, field: string): number {
  if (value === undefined) return 0;
  if (!Number.isInteger(value) || value < 0) {
    throw tenantError(ErrValidation, `tenant filter ${field} must be a whole number ≥ 0`);
  }
  return value;
}
