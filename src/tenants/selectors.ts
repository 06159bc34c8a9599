/**
 * The Selectors of a `tenants.resolver`: each reads one tenant key from a request,
 * or does not match. Keys are looked up by the resolver (see `lookup`).
 */
import { createPublicKey, type KeyObject } from "node:crypto";
import type { JWTVerifyOptions } from "jose";
import type { Selector, SelectorMatch, TenantRequest } from "../contracts/index.js";
import type { LookupKind } from "./sql-tenant-registry.js";
import { domainKey, hostDomain } from "./tenant-values.js";

/** How a selector's key is looked up: `auto` tries the slug, then the domain. */
export type LookupMode = LookupKind | "auto";

export interface TenantSelector extends Selector {
  readonly type: string;
  readonly lookup: LookupMode;
  /**
   * The part of the request the key is read from, as received (the resolver
   * remembers its answers by it). Absent when an answer cannot be reused, as for a
   * token that must be verified each time.
   */
  read?(req: TenantRequest): string | undefined;
}

/** A selector that also takes its part out of the path before routing. */
export interface PathSelector extends TenantSelector {
  /** `url` without the tenant's part; undefined when the selector does not apply to it. */
  strip(url: string): string | undefined;
}

export function isPathSelector(s: TenantSelector): s is PathSelector {
  return typeof (s as Partial<PathSelector>).strip === "function";
}

const NO_MATCH: SelectorMatch = Object.freeze({ key: "", matched: false });
const NONE: Promise<SelectorMatch> = Promise.resolve(NO_MATCH);

function matched(key: string | undefined): Promise<SelectorMatch> {
  return key === undefined || key === "" ? NONE : Promise.resolve({ key, matched: true });
}

function header(req: TenantRequest, name: string): string | undefined {
  const value = req.headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === "string" ? first.trim() : undefined;
}

/** A selector's config as the schema let it through. */
export type SelectorConfig = Readonly<Record<string, unknown>> & { readonly type: string };

/** Builds a selector; throws a message naming the problem with its config. */
export function createSelector(config: SelectorConfig): TenantSelector {
  const lookup = (config.lookup as LookupMode | undefined) ?? "auto";
  switch (config.type) {
    case "host":
      return {
        type: "host",
        lookup,
        read: (req) => header(req, "host"),
        match: (req) => matched(hostDomain(header(req, "host") ?? "")),
      };
    case "subdomain": {
      const root = domainKey(String(config.root_domain));
      if (root === undefined)
        throw new Error(`root_domain ${JSON.stringify(config.root_domain)} is not a domain`);
      const suffix = `.${root}`;
      return {
        type: "subdomain",
        lookup,
        read: (req) => header(req, "host"),
        match: (req) => {
          const host = hostDomain(header(req, "host") ?? "");
          if (!host?.endsWith(suffix)) return NONE;
          const label = host.slice(0, -suffix.length);
          return matched(label.includes(".") ? undefined : label);
        },
      };
    }
    case "header": {
      const name = String(config.name).toLowerCase();
      return {
        type: "header",
        lookup,
        read: (req) => header(req, name),
        match: (req) => matched(header(req, name)),
      };
    }
    case "path_prefix":
      return pathPrefixSelector(String(config.prefix ?? "/t"), lookup);
    case "jwt_claim":
      return jwtClaimSelector(config, lookup);
    case "static": {
      const value = String(config.value);
      return { type: "static", lookup, read: () => value, match: () => matched(value) };
    }
    default:
      throw new Error(`unknown selector type ${JSON.stringify(config.type)}`);
  }
}

/** `/t/acme/orders?x` with prefix `/t` → key `acme`, routed as `/orders?x`. */
function pathPrefixSelector(prefix: string, lookup: LookupMode): PathSelector {
  const base = `${prefix.replace(/\/+$/, "")}/`;
  if (base === "/") {
    throw new Error(
      'prefix "/" would take every path\'s first segment (probes included) as a tenant; use a prefix such as /t',
    );
  }
  const split = (url: string): { key: string; rest: string } | undefined => {
    if (!url.startsWith(base)) return undefined;
    const end = url.slice(base.length).search(/[/?#]/);
    const segment = end === -1 ? url.slice(base.length) : url.slice(base.length, base.length + end);
    if (segment === "") return undefined;
    let key: string;
    try {
      key = decodeURIComponent(segment);
    } catch {
      return undefined;
    }
    const rest = end === -1 ? "" : url.slice(base.length + end);
    return { key, rest: rest.startsWith("/") ? rest : `/${rest}` };
  };
  return {
    type: "path_prefix",
    lookup,
    // The resolver sees the URL as received, before strip took the tenant out.
    read: (req) => split(req.url ?? "")?.key,
    match: (req) => matched(split(req.url ?? "")?.key),
    strip: (url) => split(url)?.rest,
  };
}

/** jose, loaded on the first token to verify: most apps never need it, and it costs startup time. */
let jose: Promise<typeof import("jose")> | undefined;

const HMAC = ["HS256", "HS384", "HS512"];
const ASYMMETRIC = [
  "RS256",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "PS512",
  "ES256",
  "ES384",
  "ES512",
  "EdDSA",
];

/**
 * A claim of the bearer token, trusted only once the token's signature (with the
 * configured `secret` or `public_key`), expiry, and any `issuer` / `audience` verify;
 * any other token does not match.
 */
function jwtClaimSelector(config: SelectorConfig, lookup: LookupMode): TenantSelector {
  const claim = String(config.claim);
  const headerName = String(config.header ?? "authorization").toLowerCase();
  let key: Uint8Array | KeyObject;
  let allowed: string[];
  if (typeof config.secret === "string" && config.secret !== "") {
    key = new TextEncoder().encode(config.secret);
    allowed = HMAC;
  } else if (typeof config.public_key === "string" && config.public_key !== "") {
    try {
      key = createPublicKey(config.public_key);
    } catch (err) {
      throw new Error(`public_key is not a PEM public key: ${(err as Error).message}`);
    }
    allowed = ASYMMETRIC;
  } else {
    throw new Error("needs `secret` (HS256/384/512) or `public_key` (PEM) to verify tokens with");
  }
  const algorithms = Array.isArray(config.algorithms) ? config.algorithms.map(String) : allowed;
  const wrong = algorithms.filter((a) => !allowed.includes(a));
  if (wrong.length > 0) {
    throw new Error(
      `algorithms ${wrong.join(", ")} do not fit the configured key (${allowed.join(", ")})`,
    );
  }
  const options: JWTVerifyOptions = {
    algorithms,
    ...(typeof config.issuer === "string" ? { issuer: config.issuer } : {}),
    ...(typeof config.audience === "string" ? { audience: config.audience } : {}),
  };
  return {
    type: "jwt_claim",
    lookup,
    match: async (req) => {
      const bearer = /^Bearer\s+(\S+)$/i.exec(header(req, headerName) ?? "");
      if (!bearer?.[1]) return NO_MATCH;
      try {
        jose ??= import("jose");
        const { payload } = await (await jose).jwtVerify(bearer[1], key, options);
        const value = payload[claim];
        return typeof value === "string" || typeof value === "number"
          ? { key: String(value), matched: true }
          : NO_MATCH;
      } catch {
        return NO_MATCH;
      }
    },
  };
}
