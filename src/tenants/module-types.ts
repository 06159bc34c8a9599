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

const selector: JsonSchema = taggedUnion(
  "One way of reading a tenant key from a request. The key is looked up in the registry by slug, then by domain.",
  "type",
  {
    host: {
      description: "the request's Host, lower-cased, port removed (matches a tenant domain)",
    },
    subdomain: {
      description: "the single label left of `root_domain` (`acme.example.com` → `acme`)",
      properties: {
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
        name: text({ description: "Header to read, e.g. `X-Tenant-ID` (case-insensitive)." }),
      },
      required: ["name"],
    },
    path_prefix: {
      description:
        "the first path segment after `prefix` (`/t/acme/orders` with prefix `/t` → `acme`)",
      properties: {
        prefix: {
          description:
            "Fixed path before the tenant segment; `/` (default) uses the first segment. Paths outside the prefix do not match. Routes still see the full path, so declare the tenant segment in trigger paths (e.g. `/t/{tenant}/orders`).",
          type: "string",
          pattern: "^/",
          default: "/",
        },
      },
    },
    jwt_claim: {
      description: "a claim of the request's bearer token",
      properties: {
        claim: text({ description: "Claim holding the tenant key, e.g. `tenant` or `org_id`." }),
        header: text({
          description: "Header carrying the token as `Bearer <token>` (default `Authorization`).",
          default: "Authorization",
        }),
      },
      required: ["claim"],
    },
    static: {
      description: "always the same tenant (single-tenant deployments, tests)",
      properties: {
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
          "`first_match`: the first selector that finds a tenant wins; `all_must_match`: every selector that finds one must agree (else 403); `consensus`: the tenant found by at least `min_votes` selectors wins.",
        enum: [...RESOLVER_MODES],
        default: "first_match",
      },
      required: expandable("boolean", {
        description:
          "Answer 404 when no tenant is found; when false the request proceeds without `.tenant`.",
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
