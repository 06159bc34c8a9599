/**
 * The top-level `steps:` section: JavaScript/TypeScript modules that add step types.
 * Each entry names the module and the types it registers, so the config can be
 * validated before any code runs (the types' `config` is then checked by the
 * module's own factory when the pipeline is built).
 */
import { closedObject, text } from "../config/schema-fragments.js";
import type { ConfigTypeRegistry, SectionDefinition } from "../config/type-registry.js";

/** `acme.greet`, `step.slugify`: lower-case, dot-separated. */
export const USER_STEP_TYPE = "^[a-z][a-z0-9_]*(?:\\.[a-z0-9_]+)+$";

export interface UserStepModule {
  readonly module: string;
  readonly types: readonly string[];
}

export const userStepsSection: SectionDefinition = {
  key: "steps",
  description:
    "Modules adding step types. Each default-exports `register(registry)` (calling `registry.register(type, factory)`) or a StepRegistrar (`types()` + `create(type, name, config)`).",
  schema: {
    type: "array",
    description: "Step-type modules, loaded when the app is built.",
    items: closedObject(
      "A module of step types.",
      {
        module: text({
          description: "Path of the .js/.mjs/.ts module, relative to the config file.",
        }),
        types: {
          description: "The step types it registers, e.g. `[acme.greet]`; each must be registered.",
          type: "array",
          minItems: 1,
          uniqueItems: true,
          items: { type: "string", pattern: USER_STEP_TYPE },
        },
      },
      { required: ["module", "types"] },
    ),
  },
};

export function registerUserStepsSection(registry: ConfigTypeRegistry): void {
  registry.registerSection(userStepsSection);
}
