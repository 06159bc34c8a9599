import path from "node:path";
import type { WorkflowConfig } from "../../config/index.js";
import { isStepRegistrar } from "../../contracts/index.js";
import { WfError } from "../../diagnostics/index.js";
import { importUserModule } from "../../user-module.js";
import type { UserStepModule } from "../user-steps-section.js";
import type { StepFactory } from "./step-factory.js";
import type { StepTypeRegistry } from "./step-registry.js";

/** What a step module's `register(registry)` receives. */
export interface UserStepRegistry {
  register(type: string, factory: StepFactory): void;
}

/**
 * Loads the config's `steps:` modules into `registry`. A module default-exports
 * (or exports as `register`) either a function taking the registry, or the seed's
 * StepRegistrar (`types()` + `create(type, name, config, services)`). It must
 * register exactly the types its entry declares.
 */
export async function loadUserSteps(
  config: WorkflowConfig,
  registry: StepTypeRegistry,
): Promise<void> {
  const entries = (config.sections.steps as readonly UserStepModule[] | undefined) ?? [];
  for (const entry of entries) {
    const file = path.resolve(config.dir, entry.module);
    let exported: unknown;
    try {
      const mod = await importUserModule(file);
      exported = mod.default ?? mod.register;
    } catch (err) {
      throw new WfError(
        "WF_ERR_CONFIG_REFERENCE",
        `steps module ${entry.module}: cannot load it: ${(err as Error).message}`,
        { cause: err },
      );
    }
    const registered = new Set<string>();
    const record: UserStepRegistry = {
      register: (type, factory) => {
        if (!entry.types.includes(type)) {
          throw new Error(
            `it registers ${type}, which its entry's types do not list; add it there`,
          );
        }
        registry.register(type, factory);
        registered.add(type);
      },
    };
    try {
      if (typeof exported === "function") {
        await (exported as (r: UserStepRegistry) => unknown)(record);
      } else if (isStepRegistrar(exported)) {
        const registrar = exported;
        for (const type of registrar.types()) {
          record.register(type, (ctx) =>
            registrar.create(type, ctx.name, { ...ctx.config }, ctx.services),
          );
        }
      } else {
        throw new Error(
          "it must default-export register(registry) or a StepRegistrar (types() and create())",
        );
      }
    } catch (err) {
      throw new WfError(
        "WF_ERR_CONFIG_REFERENCE",
        `steps module ${entry.module}: ${(err as Error).message}`,
        { cause: err },
      );
    }
    const missing = entry.types.filter((t) => !registered.has(t));
    if (missing.length > 0) {
      throw new WfError(
        "WF_ERR_CONFIG_REFERENCE",
        `steps module ${entry.module} does not register ${missing.join(", ")}, which its entry declares`,
      );
    }
  }
}
