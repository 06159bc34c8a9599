import {
  ErrResourceNotFound,
  errorIs,
  type PipelineLogger,
  type Tenant,
  type TenantFilter,
  type TenantPatch,
  type TenantRegistry,
  type TenantSpec,
} from "../contracts/index.js";
import { type LookupKind, notFound, type SqlTenantRegistry } from "./sql-tenant-registry.js";
import { domainKey } from "./tenant-values.js";

export interface CachedTenantRegistryOptions {
  /** How often the registry's revision is read to notice other processes' writes (default 1 s). */
  readonly pollIntervalMs?: number;
  /** Entries kept per kind of lookup; past it that kind's cache starts over (default 10,000). */
  readonly maxEntries?: number;
  readonly logger?: PipelineLogger;
}

/** A lookup's cached answer: the tenant, or null when there is none. */
type Cached = Tenant | null;

/**
 * A TenantRegistry that answers lookups from memory. Writes made through it empty the
 * cache at once; writes by other processes bump the registry's revision, which is
 * read every `pollIntervalMs`, so they are seen within about that long. Unknown keys
 * are cached too (as "none"), so a flood of unknown hosts does not reach the database.
 * Cached tenants are frozen: callers share them.
 */
export class CachedTenantRegistry implements TenantRegistry {
  readonly #inner: SqlTenantRegistry;
  readonly #caches: Record<LookupKind, Map<string, Cached>> = {
    id: new Map(),
    slug: new Map(),
    domain: new Map(),
  };
  readonly #pollIntervalMs: number;
  readonly #maxEntries: number;
  readonly #logger: PipelineLogger | undefined;
  #revision: string | undefined;
  #timer: NodeJS.Timeout | undefined;
  /** Bumped by every clear, so a lookup that started before one does not cache stale data. */
  #generation = 0;

  constructor(inner: SqlTenantRegistry, options: CachedTenantRegistryOptions = {}) {
    this.#inner = inner;
    this.#pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#logger = options.logger;
  }

  /** Starts watching the revision (idempotent). */
  async start(): Promise<void> {
    if (this.#timer !== undefined) return;
    this.#revision = await this.#inner.revision();
    // Anything looked up before now may predate that revision.
    this.clear();
    this.#timer = setInterval(() => void this.#poll(), this.#pollIntervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** The tenant for a key, or null: from the cache, else the database (and cached). */
  async find(kind: LookupKind, key: string): Promise<Cached> {
    const cached = this.#caches[kind].get(key);
    if (cached !== undefined) return cached;
    const generation = this.#generation;
    let found: Cached;
    try {
      found = freeze(await this.#lookup(kind, key));
    } catch (err) {
      if (!errorIs(err, ErrResourceNotFound)) throw err;
      found = null;
    }
    if (generation === this.#generation) this.#remember(kind, key, found);
    return found;
  }

  ensure(spec: TenantSpec): Promise<Tenant> {
    return this.#writing(this.#inner.ensure(spec));
  }

  getByID(id: string): Promise<Tenant> {
    return this.#get("id", id);
  }

  getBySlug(slug: string): Promise<Tenant> {
    return this.#get("slug", slug);
  }

  getByDomain(domain: string): Promise<Tenant> {
    return this.#get("domain", domainKey(domain) ?? domain);
  }

  list(filter?: TenantFilter): Promise<Tenant[]> {
    return this.#inner.list(filter);
  }

  update(id: string, patch: TenantPatch): Promise<Tenant> {
    return this.#writing(this.#inner.update(id, patch));
  }

  disable(id: string): Promise<void> {
    return this.#writing(this.#inner.disable(id));
  }

  /** Changes whenever the cache is emptied: answers derived from it are stale then. */
  get generation(): number {
    return this.#generation;
  }

  /** Forgets every cached answer. */
  clear(): void {
    this.#generation++;
    for (const cache of Object.values(this.#caches)) cache.clear();
  }

  async #get(kind: LookupKind, key: string): Promise<Tenant> {
    const found = await this.find(kind, key);
    if (found === null) throw notFound(kind, key);
    return found;
  }

  #lookup(kind: LookupKind, key: string): Promise<Tenant> {
    if (kind === "id") return this.#inner.getByID(key);
    if (kind === "slug") return this.#inner.getBySlug(key);
    return this.#inner.getByDomain(key);
  }

  async #writing<T>(write: Promise<T>): Promise<T> {
    try {
      return await write;
    } finally {
      // Also after a failure: a conflict may mean the cache is behind.
      this.clear();
    }
  }

  #remember(kind: LookupKind, key: string, found: Cached): void {
    this.#set(kind, key, found);
    if (found === null) return;
    // The same tenant answers its other keys too.
    if (kind !== "id") this.#set("id", found.id, found);
    if (kind !== "slug") this.#set("slug", found.slug, found);
  }

  #set(kind: LookupKind, key: string, value: Cached): void {
    const cache = this.#caches[kind];
    if (cache.size >= this.#maxEntries) cache.clear();
    cache.set(key, value);
  }

  async #poll(): Promise<void> {
    try {
      const revision = await this.#inner.revision();
      if (revision !== this.#revision) {
        this.#revision = revision;
        this.clear();
      }
    } catch (err) {
      // Unknown freshness: serve from the database until the revision can be read again.
      this.clear();
      this.#logger?.warn(
        { error: (err as Error).message },
        "tenant registry: could not read its revision; cache emptied",
      );
    }
  }
}

function freeze(tenant: Tenant): Tenant {
  if (tenant.domains) Object.freeze(tenant.domains);
  if (tenant.metadata) deepFreeze(tenant.metadata);
  return Object.freeze(tenant);
}

function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== "object" || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
}
