/**
 * The tenant steps: a pipeline's access to a `tenants.registry`. Config values may be
 * templates. Registry errors become the client's errors: invalid input 400, unknown
 * tenant 404, a slug or domain taken 409 (each with the field when known).
 */
import {
  ErrResourceAlreadyExists,
  ErrResourceNotFound,
  ErrValidation,
  errorIs,
  messageWithoutSentinel,
  type PipelineContext,
  type Tenant,
  type TenantFilter,
  type TenantPatch,
  type TenantRegistry,
  ValidationError,
} from "../contracts/index.js";
import { configError, pipelineStep, requiredString } from "../engine/steps/data-step-support.js";
import type { StepBuildContext, StepFactory } from "../engine/steps/step-factory.js";
import type { StepTypeRegistry } from "../engine/steps/step-registry.js";
import { render } from "../engine/steps/step-runtime.js";
import type { CompiledValue } from "../engine/templates/template-api.js";

/** The config keys given, compiled; rendered per execution into a plain record. */
function templatedFields(ctx: StepBuildContext, keys: readonly string[]) {
  const compiled = keys
    .filter((key) => ctx.config[key] !== undefined)
    .map((key): [string, CompiledValue] => [key, ctx.compile([key])]);
  return (pc: PipelineContext): Record<string, unknown> => {
    const values: Record<string, unknown> = {};
    for (const [key, value] of compiled) values[key] = render(pc, value);
    return values;
  };
}

function registryOf(ctx: StepBuildContext): () => TenantRegistry {
  const name = requiredString(ctx, "registry");
  try {
    return ctx.services.tenantRegistry(name);
  } catch (err) {
    throw configError(ctx, (err as Error).message);
  }
}

/** A registry error as the client's error; anything else is left as is (a 500). */
function clientError(err: unknown): unknown {
  const status = errorIs(err, ErrValidation)
    ? 400
    : errorIs(err, ErrResourceNotFound)
      ? 404
      : errorIs(err, ErrResourceAlreadyExists)
        ? 409
        : undefined;
  if (status === undefined) return err;
  const message = messageWithoutSentinel(err);
  const field = /^(?:tenant )?(name|slug|domain|metadata|is_active)\b/.exec(message)?.[1];
  return new ValidationError(message, status, {
    ...(field ? { field: field === "domain" ? "domains" : field } : {}),
    cause: err,
  });
}

async function calling<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw clientError(err);
  }
}

/** A rendered flag: true, or the text "true" (a template inside a longer string). */
const isTrue = (value: unknown): boolean => value === true || value === "true";

const text = (value: unknown): string =>
  value === undefined || value === null ? "" : String(value);

/** `step.tenant_ensure`: the tenant with `slug`, created when missing → `{tenant}`. */
const tenantEnsureStep: StepFactory = (ctx) => {
  const registry = registryOf(ctx);
  const fields = templatedFields(ctx, ["name", "slug", "domains", "metadata"]);
  return pipelineStep(ctx, async (pc) => {
    const f = fields(pc);
    const tenant = await calling(() =>
      registry().ensure({
        name: text(f.name),
        slug: text(f.slug),
        ...(f.domains !== undefined ? { domains: f.domains as string[] } : {}),
        ...(f.metadata !== undefined ? { metadata: f.metadata as Record<string, unknown> } : {}),
      }),
    );
    return { output: { tenant } };
  });
};

/** `step.tenant_get`: by `id`, `slug` or `domain` → `{tenant, found}` (null and false when none). */
const tenantGetStep: StepFactory = (ctx) => {
  const registry = registryOf(ctx);
  const keys = (["id", "slug", "domain"] as const).filter((k) => ctx.config[k] !== undefined);
  const [by] = keys;
  if (by === undefined || keys.length > 1) {
    throw configError(ctx, "set exactly one of config.id, config.slug or config.domain");
  }
  const fields = templatedFields(ctx, [by]);
  return pipelineStep(ctx, async (pc) => {
    const key = text(fields(pc)[by]);
    const r = registry();
    let tenant: Tenant | null = null;
    try {
      tenant = await (by === "id"
        ? r.getByID(key)
        : by === "slug"
          ? r.getBySlug(key)
          : r.getByDomain(key));
    } catch (err) {
      if (!errorIs(err, ErrResourceNotFound)) throw clientError(err);
    }
    return { output: { tenant, found: tenant !== null } };
  });
};

/** `step.tenant_list`: with any TenantFilter field → `{tenants, count}`. */
const tenantListStep: StepFactory = (ctx) => {
  const registry = registryOf(ctx);
  const fields = templatedFields(ctx, ["active_only", "domain", "slug", "limit", "offset"]);
  return pipelineStep(ctx, async (pc) => {
    const f = fields(pc);
    const filter: TenantFilter = {
      ...(f.active_only !== undefined ? { active_only: isTrue(f.active_only) } : {}),
      ...(f.domain ? { domain: text(f.domain) } : {}),
      ...(f.slug ? { slug: text(f.slug) } : {}),
      ...(f.limit !== undefined ? { limit: Number(f.limit) } : {}),
      ...(f.offset !== undefined ? { offset: Number(f.offset) } : {}),
    };
    const tenants = await calling(() => registry().list(filter));
    return { output: { tenants, count: tenants.length } };
  });
};

/** `step.tenant_update`: the fields given change, the others stay → `{tenant}`. */
const tenantUpdateStep: StepFactory = (ctx) => {
  const registry = registryOf(ctx);
  const fields = templatedFields(ctx, ["id", "name", "domains", "metadata", "is_active"]);
  return pipelineStep(ctx, async (pc) => {
    const f = fields(pc);
    const patch: TenantPatch = {
      ...(f.name !== undefined ? { name: text(f.name) } : {}),
      ...(f.domains !== undefined ? { domains: f.domains as string[] } : {}),
      ...(f.metadata !== undefined ? { metadata: f.metadata as Record<string, unknown> } : {}),
      ...(f.is_active !== undefined ? { is_active: isTrue(f.is_active) } : {}),
    };
    const tenant = await calling(() => registry().update(text(f.id), patch));
    return { output: { tenant } };
  });
};

/** `step.tenant_disable`: soft delete → `{id, disabled: true}`. */
const tenantDisableStep: StepFactory = (ctx) => {
  const registry = registryOf(ctx);
  const fields = templatedFields(ctx, ["id"]);
  return pipelineStep(ctx, async (pc) => {
    const id = text(fields(pc).id);
    await calling(() => registry().disable(id));
    return { output: { id, disabled: true } };
  });
};

export const tenantSteps: Readonly<Record<string, StepFactory>> = {
  "step.tenant_ensure": tenantEnsureStep,
  "step.tenant_get": tenantGetStep,
  "step.tenant_list": tenantListStep,
  "step.tenant_update": tenantUpdateStep,
  "step.tenant_disable": tenantDisableStep,
};

export function registerTenantSteps(registry: StepTypeRegistry): void {
  for (const [type, factory] of Object.entries(tenantSteps)) registry.register(type, factory);
}
