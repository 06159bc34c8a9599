/**
 * Checks and normal forms of the values a tenant is made of, shared by the registry,
 * the selectors and the CLI: domains are compared case-folded, without a port or a
 * trailing dot, and must be host names.
 */
import {
  ErrValidation,
  type SentinelError,
  type TenantPatch,
  WrappedSentinelError,
} from "../contracts/index.js";
import { isPlainObject } from "../is-record.js";

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** An error of the registry: matches `sentinel` (errorIs), its message verbatim. */
export function tenantError(sentinel: SentinelError, message: string): WrappedSentinelError {
  return new WrappedSentinelError(sentinel, message);
}

/** A host as a domain is stored: lower case, no trailing dot. Undefined when it is not a host name. */
export function domainKey(host: string): string | undefined {
  const domain = host.trim().toLowerCase().replace(/\.$/, "");
  if (domain.length === 0 || domain.length > 253) return undefined;
  return domain.split(".").every((label) => LABEL.test(label)) ? domain : undefined;
}

/** A request's Host header as a domain: port stripped (IPv6 brackets too), case-folded. */
export function hostDomain(host: string): string | undefined {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(host);
  if (bracketed) return bracketed[1]?.toLowerCase();
  return domainKey(host.replace(/:\d*$/, ""));
}

/** True when `key` could be a slug (lookups by slug skip keys that cannot). */
export function isSlugLike(key: string): boolean {
  return SLUG.test(key);
}

/** A tenant's domains checked and normalised, duplicates removed; the error names the bad one. */
export function normaliseDomains(domains: readonly unknown[] | undefined): string[] {
  const out: string[] = [];
  for (const raw of domains ?? []) {
    const domain = typeof raw === "string" ? domainKey(raw) : undefined;
    if (domain === undefined) {
      throw tenantError(
        ErrValidation,
        `tenant domain ${JSON.stringify(raw)} is not a host name (letters, digits, "-" and dots; no port, scheme or path)`,
      );
    }
    if (!out.includes(domain)) out.push(domain);
  }
  return out;
}

/** Metadata must be a JSON object (absent: empty). */
export function checkedMetadata(metadata: unknown): Record<string, unknown> {
  if (metadata === undefined || metadata === null) return {};
  if (!isPlainObject(metadata)) {
    throw tenantError(ErrValidation, "tenant metadata must be an object");
  }
  return metadata;
}

/** A patch's name, activity and metadata checked (its domains are normalised where used). */
export function checkPatch(patch: TenantPatch): void {
  if (patch.name !== undefined && (typeof patch.name !== "string" || patch.name.trim() === "")) {
    throw tenantError(ErrValidation, "tenant name cannot be empty");
  }
  if (patch.is_active !== undefined && typeof patch.is_active !== "boolean") {
    throw tenantError(ErrValidation, "tenant is_active must be true or false");
  }
  if (patch.metadata !== undefined) checkedMetadata(patch.metadata);
}
