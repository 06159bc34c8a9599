import type { CallOptions } from "./call-options.js";
import type { Tenant } from "./tenant-registry.js";

/**
 * Per-request tenant resolution. The seed works on Go's *http.Request; contracts
 * depend on no HTTP library, so they take this minimal shape, which node's
 * IncomingMessage and fastify's request both satisfy.
 */
export interface TenantRequest {
  method?: string;
  /** Path and query, as received. */
  url?: string;
  /** Lower-case header names, as node delivers them. */
  headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** Request-scoped values set by earlier middleware, e.g. verified auth claims. */
  context?: Readonly<Record<string, unknown>>;
}

/** What a Selector found: the lookup key, and whether the selector applied at all. */
export interface SelectorMatch {
  key: string;
  matched: boolean;
}

/** Extracts a tenant lookup key (host, subdomain, header, cookie, claim...) from a request. */
export interface Selector {
  match(req: TenantRequest): Promise<SelectorMatch>;
}

/** Combines selectors with a lookup strategy to find the request's tenant. */
export interface TenantResolver {
  /** Undefined when no tenant is found (the seed's zero Tenant); that is not an error. */
  resolve(req: TenantRequest, opts?: CallOptions): Promise<Tenant | undefined>;
}
