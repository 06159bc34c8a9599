/**
 * Config types of the tenant modules: `tenants.registry` (tenants stored in a database
 * module) and `tenants.resolver` (finds each request's tenant with an ordered list of
 * selectors). Plain data plus one register function.
 */
import {
  closedObject,
  expandable,
  moduleRef,
  taggedUnion,
  text,
} from "../config/schema-fragments.js";
import type {
  ConfigTypeDefinition,
  ConfigTypeRegistry,
  JsonSchema,
} from "../config/type-registry.js";

/** Selector kinds in the order users usually reach for them. */
export const SELECTOR_TYPES = [
  "host",
  "subdomain",
  "header",
  "path_prefix",
  "jwt_claim",
  "static",
] as const;

export const RESOLVER_MODES = ["first_match", "all_must_match", "consensus"] as const;

/** How every selector's key is looked up. */
const lookup: JsonSchema = {
  description:
    "How the key is looked up: `auto` (default) by slug, then by domain; or only by `id`, `slug` or `domain`.",
  enum: ["auto", "id", "slug", "domain"],
  default: "auto",
};

const selector: JsonSchema = taggedUnion(
  "One way of reading a tenant key from a request; the key is looked up in the registry (see `lookup`).",
  "type",
  {
    host: {
      description: "the request's Host, lower-cased, port removed (matches a tenant domain)",
      properties: { lookup },
    },
    subdomain: {
      description: "the single label left of `root_domain` (`acme.example.com` → `acme`)",
      properties: {
        lookup,
        root_domain: text({
          description:
            "Domain the tenant subdomains live under, e.g. `example.com`; hosts outside it (or the bare root) do not match.",
        }),
      },
      required: ["root_domain"],
    },
    header: {
      description: "the value of a request header",
      properties: {
        lookup,
        name: text({ description: "Header to read, e.g. `X-Tenant-ID` (case-insensitive)." }),
      },
      required: ["name"],
    },
    path_prefix: {
      description:
        "the path segment after `prefix` (`/t/acme/orders` → `acme`); prefix and segment are taken out before routing, so `/t/acme/orders` is served by the route `/orders`",
      properties: {
        lookup,
        prefix: {
          description:
            "Fixed path before the tenant segment (default `/t`). Paths outside it do not match and are routed unchanged. Not `/`: every path's first segment (probes too) would be taken for a tenant.",
          type: "string",
          pattern: "^/[^/]",
          default: "/t",
        },
      },
    },
    jwt_claim: {
      description: "a claim of the request's bearer token",
      properties: {
        lookup,
        claim: text({ description: "Claim holding the tenant key, e.g. `tenant` or `org_id`." }),
        header: text({
          description: "Header carrying the token as `Bearer <token>` (default `Authorization`).",
          default: "Authorization",
        }),
        secret: text({
          description:
            "Shared secret the token must be signed with (HS256/384/512), e.g. `${JWT_SECRET}`. Set this or `public_key`.",
        }),
        public_key: text({
          description:
            "PEM public key the token must be signed with (RS*, PS*, ES*, EdDSA). Set this or `secret`.",
        }),
        algorithms: {
          description: "Accepted signing algorithms (default: every one that fits the key).",
          type: "array",
          minItems: 1,
          items: { type: "string", minLength: 1 },
        },
        issuer: text({ description: "Required `iss` claim." }),
        audience: text({ description: "Required `aud` claim." }),
      },
      required: ["claim"],
    },
    static: {
      description: "always the same tenant (single-tenant deployments, tests)",
      properties: {
        lookup,
        value: text({ description: "Slug (or domain) of the tenant every request belongs to." }),
      },
      required: ["value"],
    },
  },
);

const tenantsRegistry: ConfigTypeDefinition = {
  type: "tenants.registry",
  description:
    "Tenant registry (id, name, slug, domains, metadata) stored in a database module; its table is created by a built-in migration.",
  configSchema: closedObject(
    "Configuration of a `tenants.registry` module.",
    {
      database: moduleRef(
        "Name of the `database.sqlite` or `database.postgres` module that stores the tenants.",
      ),
    },
    { required: ["database"] },
  ),
};

const tenantsResolver: ConfigTypeDefinition = {
  type: "tenants.resolver",
  description:
    "Resolves the tenant of every HTTP request with its selectors; pipelines see it as `.tenant`.",
  configSchema: closedObject(
    "Configuration of a `tenants.resolver` module.",
    {
      registry: moduleRef("Name of the `tenants.registry` module tenants are looked up in."),
      selectors: {
        description: "Selectors, tried in order.",
        type: "array",
        minItems: 1,
        items: selector,
      },
      mode: {
        description:
          "`first_match`: the first selector whose key names a tenant wins; `all_must_match`: every selector that reads a key must name the same tenant (else 403); `consensus`: the tenant named by at least `min_votes` selectors wins (two that reach it: 403).",
        enum: [...RESOLVER_MODES],
        default: "first_match",
      },
      required: expandable("boolean", {
        description:
          'Answer 404 `{"error": "tenant not found"}` when no active tenant is found; when false the request proceeds without `.tenant`.',
        default: false,
      }),
      min_votes: expandable("integer", {
        description:
          "`consensus` mode only: how many selectors must agree (default: a majority, ⌊n/2⌋+1 of n selectors).",
        minimum: 1,
      }),
    },
    { required: ["registry", "selectors"] },
  ),
};

export const tenantModuleTypes: readonly ConfigTypeDefinition[] = [
  tenantsRegistry,
  tenantsResolver,
];

export function registerTenantModuleTypes(registry: ConfigTypeRegistry): void {
  for (const definition of tenantModuleTypes) registry.register("module", definition);
}
