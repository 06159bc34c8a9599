/**
 * Config types of the tenant steps (`step.tenant_ensure`, `_get`, `_list`, `_update`,
 * `_disable`), which reach the tenant registry from a pipeline.
 */
import { closedObject, moduleRef, present, templated, text } from "../config/schema-fragments.js";
import type { ConfigTypeDefinition, ConfigTypeRegistry } from "../config/type-registry.js";

const tenantRegistryRef = moduleRef("Name of the `tenants.registry` module.");
const tenantId = text({ description: "Tenant id; may be a template." });

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
    "Looks a tenant up by exactly one of `id`, `slug` or `domain`; outputs it as `tenant` and `found` (`null` and false when there is none).",
  configSchema: closedObject(
    "Configuration of a `step.tenant_get` step.",
    {
      registry: tenantRegistryRef,
      id: tenantId,
      slug: text({ description: "Tenant slug; may be a template." }),
      domain: text({ description: "A domain of the tenant; may be a template." }),
    },
    {
      required: ["registry"],
      oneOf: [present("id"), present("slug"), present("domain")],
    },
  ),
};

const stepTenantList: ConfigTypeDefinition = {
  type: "step.tenant_list",
  description:
    "Lists tenants (by slug) matching every filter given; outputs `tenants` and `count`.",
  configSchema: closedObject(
    "Configuration of a `step.tenant_list` step.",
    {
      registry: tenantRegistryRef,
      active_only: templated("boolean", { description: "Only tenants not disabled." }),
      slug: text({ description: "Only the tenant with this slug; may be a template." }),
      domain: text({ description: "Only the tenant with this domain; may be a template." }),
      limit: templated("integer", { description: "At most this many.", minimum: 1 }),
      offset: templated("integer", { description: "Skip this many first.", minimum: 0 }),
    },
    { required: ["registry"] },
  ),
};

const stepTenantUpdate: ConfigTypeDefinition = {
  type: "step.tenant_update",
  description:
    "Changes the fields given of the tenant `id` (the others stay); outputs it as `tenant`. An unknown id answers 404, a domain another tenant has 409.",
  configSchema: closedObject(
    "Configuration of a `step.tenant_update` step.",
    {
      registry: tenantRegistryRef,
      id: tenantId,
      name: text({ description: "New display name; may be a template." }),
      domains: templated("array", {
        description: "The tenant's domains from now on (replaces them; `[]` removes all).",
        items: { type: "string", minLength: 1 },
      }),
      metadata: templated("object", {
        description: "The tenant's metadata from now on (replaces it).",
      }),
      is_active: templated("boolean", {
        description: "false disables the tenant; true enables it again.",
      }),
    },
    { required: ["registry", "id"] },
  ),
};

const stepTenantDisable: ConfigTypeDefinition = {
  type: "step.tenant_disable",
  description:
    "Disables the tenant `id` (soft delete: requests for it then resolve no tenant); outputs `id` and `disabled: true`.",
  configSchema: closedObject(
    "Configuration of a `step.tenant_disable` step.",
    {
      registry: tenantRegistryRef,
      id: tenantId,
    },
    { required: ["registry", "id"] },
  ),
};

export function registerTenantStepTypes(registry: ConfigTypeRegistry): void {
  for (const definition of [
    stepTenantEnsure,
    stepTenantGet,
    stepTenantList,
    stepTenantUpdate,
    stepTenantDisable,
  ]) {
    registry.register("step", definition);
  }
}
