import { ErrValidation, wrapSentinel } from "./iac-errors.js";

/** Tenant records and the registry that persists them. */

/** An identified tenant. */
export interface Tenant {
  /** Opaque ID. */
  id: string;
  name: string;
  /** Unique URL slug. */
  slug: string;
  domains?: string[];
  metadata?: Record<string, unknown>;
  is_active: boolean;
}

/** Creation payload of a tenant. */
export interface TenantSpec {
  name: string;
  slug: string;
  domains?: string[];
  metadata?: Record<string, unknown>;
}

/** Partial update; absent properties are left unchanged. */
export interface TenantPatch {
  name?: string;
  domains?: string[];
  metadata?: Record<string, unknown>;
  is_active?: boolean;
}

/** Constrains TenantRegistry.list; absent or zero properties mean "no constraint". */
export interface TenantFilter {
  active_only?: boolean;
  domain?: string;
  slug?: string;
  limit?: number;
  offset?: number;
}

/**
 * Persists and retrieves tenants. Async: every implementation is backed by a
 * database. Lookups of an unknown tenant reject with an error matching
 * ErrResourceNotFound (the seed leaves not-found unspecified).
 */
export interface TenantRegistry {
  /** Creates the tenant unless its slug exists; resolves to the stored tenant. */
  ensure(spec: TenantSpec): Promise<Tenant>;
  getByID(id: string): Promise<Tenant>;
  getByDomain(domain: string): Promise<Tenant>;
  getBySlug(slug: string): Promise<Tenant>;
  /** All tenants when the filter is absent or empty. */
  list(filter?: TenantFilter): Promise<Tenant[]>;
  update(id: string, patch: TenantPatch): Promise<Tenant>;
  /** Soft delete: sets is_active to false. */
  disable(id: string): Promise<void>;
}

/** Longest slug: a DNS label, so a slug can be a subdomain. */
export const TenantSlugMaxLength = 63;

const slugPattern = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

/**
 * The seed's `TenantSpec.Validate`: a name and a lower-case slug. We also require the
 * slug to be URL- and DNS-label-safe (a-z, 0-9, "-", no leading or trailing "-", at
 * most 63 characters), since it routes URLs, keys caches and names subdomains.
 * Throws an error matching ErrValidation whose message names the field.
 */
export function validateTenantSpec(spec: TenantSpec): void {
  if ((spec.name ?? "").trim() === "") {
    throw wrapSentinel(ErrValidation, "tenant name is required");
  }
  const slug = spec.slug ?? "";
  if (slug.trim() === "") {
    throw wrapSentinel(ErrValidation, "tenant slug is required");
  }
  if (slug !== slug.toLowerCase()) {
    throw wrapSentinel(ErrValidation, `tenant slug ${JSON.stringify(slug)} must be lower-case`);
  }
  if (slug.length > TenantSlugMaxLength) {
    throw wrapSentinel(
      ErrValidation,
      `tenant slug ${JSON.stringify(slug)} is longer than ${TenantSlugMaxLength} characters`,
    );
  }
  if (!slugPattern.test(slug)) {
    throw wrapSentinel(
      ErrValidation,
      `tenant slug ${JSON.stringify(slug)} may contain only a-z, 0-9 and "-", and may not start or end with "-"`,
    );
  }
}
