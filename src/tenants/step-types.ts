/**
 * Config types of the tenant steps (`step.tenant_ensure`, `step.tenant_get`), which
 * reach the tenant registry from a pipeline.
 */
import { closedObject, moduleRef, present, templated, text } from "../config/schema-fragments.js";
import type { ConfigTypeDefinition, ConfigTypeRegistry } from "../config/type-registry.js";

const tenantRegistryRef = moduleRef("Name of the `tenants.registry` module.");

const stepTenantEnsure: ConfigTypeDefinition = {
  type: "step.tenant_ensure",
  description:
    "Returns the tenant with `slug`, creating it (with `name`, `domains`, `metadata`) when missing; outputs it as `tenant`.",
  configSchema: closedObject(
    "Configuration of a `step.tenant_ensure` step.",
    {
      registry: tenantRegistryRef,
      name: text({ description: "Display name of the tenant; may be a template." }),
      slug: text({
        description: "Unique lower-case identifier of the tenant, e.g. `acme`; may be a template.",
      }),
      domains: templated("array", {
        description: "Domains that resolve to this tenant; a list, or a template yielding one.",
        items: { type: "string", minLength: 1 },
      }),
      metadata: templated("object", {
        description: "Free-form metadata stored with the tenant; values may be templates.",
      }),
    },
    { required: ["registry", "name", "slug"] },
  ),
};

const stepTenantGet: ConfigTypeDefinition = {
  type: "step.tenant_get",
  description:
    "Looks a tenant up by exactly one of `id`, `slug` or `domain`; outputs it as `tenant`.",
  configSchema: closedObject(
    "Configuration of a `step.tenant_get` step.",
    {
      registry: tenantRegistryRef,
      id: text({ description: "Tenant id; may be a template." }),
      slug: text({ description: "Tenant slug; may be a template." }),
      domain: text({ description: "A domain of the tenant; may be a template." }),
    },
    {
      required: ["registry"],
      oneOf: [present("id"), present("slug"), present("domain")],
    },
  ),
};

export function registerTenantStepTypes(registry: ConfigTypeRegistry): void {
  registry.register("step", stepTenantEnsure);
  registry.register("step", stepTenantGet);
}
