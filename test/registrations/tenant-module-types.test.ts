import { describe, expect, it } from "vitest";
import { ConfigTypeRegistry } from "../../src/config/type-registry.js";
import { registerTenantModuleTypes, tenantModuleTypes } from "../../src/tenants/module-types.js";
import { checkerFor } from "./support.js";

const check = (type: string) => checkerFor(tenantModuleTypes, type);

describe("tenant module types", () => {
  it("registers tenants.registry and tenants.resolver", () => {
    const registry = new ConfigTypeRegistry();
    registerTenantModuleTypes(registry);
    expect(registry.list("module").map((d) => d.type)).toEqual([
      "tenants.registry",
      "tenants.resolver",
    ]);
  });

  it("tenants.registry needs its database", () => {
    const tenants = check("tenants.registry");
    tenants.valid({ database: "app-db" });
    tenants.invalid({}, "database");
    tenants.invalid({ database: "app-db", table: "t" }, "table");
  });

  describe("tenants.resolver", () => {
    const resolver = check("tenants.resolver");

    it("accepts every selector type with its own keys", () => {
      resolver.valid({
        registry: "tenants",
        mode: "first_match",
        required: true,
        selectors: [
          { type: "host" },
          { type: "subdomain", root_domain: "example.com" },
          { type: "header", name: "X-Tenant-ID" },
          { type: "path_prefix", prefix: "/t" },
          { type: "path_prefix" },
          { type: "jwt_claim", claim: "org", header: "X-Auth" },
          { type: "static", value: "acme" },
        ],
      });
      resolver.valid({
        registry: "tenants",
        mode: "consensus",
        min_votes: 2,
        selectors: [{ type: "host" }, { type: "header", name: "X-Tenant" }],
      });
    });

    it("rejects an unknown selector type, a missing selector key and keys of another selector", () => {
      const base = { registry: "tenants" };
      resolver.invalid({ ...base, selectors: [{ type: "cookie", name: "t" }] }, "type");
      resolver.invalid({ ...base, selectors: [{ type: "header" }] }, "name");
      resolver.invalid({ ...base, selectors: [{ type: "subdomain" }] }, "root_domain");
      resolver.invalid(
        { ...base, selectors: [{ type: "header", name: "X-T", root_domain: "a.com" }] },
        "root_domain",
      );
      resolver.invalid({ ...base, selectors: [{ type: "path_prefix", prefix: "t" }] }, "prefix");
      resolver.invalid({ ...base, selectors: [{ name: "X-T" }] }, "type");
    });

    it("rejects a bad mode, no selectors, a missing registry, bad min_votes", () => {
      const selectors = [{ type: "host" }];
      resolver.invalid({ registry: "t", selectors, mode: "majority" }, "mode");
      resolver.invalid({ registry: "t", selectors: [] }, "selectors");
      resolver.invalid({ selectors }, "registry");
      resolver.invalid({ registry: "t", selectors, min_votes: 0 }, "min_votes");
      resolver.invalid({ registry: "t", selectors, required: "sometimes" }, "required");
    });
  });
});
