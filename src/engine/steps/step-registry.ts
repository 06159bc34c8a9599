import { nearestName } from "../../config/index.js";
import type { PipelineStep, StepRegistrar } from "../../contracts/index.js";
import type { StepBuildContext, StepFactory } from "./step-factory.js";

/**
 * The step types an app can use: the built-in ones and those a config's `steps:`
 * modules register. Also the seed's StepRegistrar, for code that creates steps
 * outside a pipeline (its `create` compiles no templates and has no services).
 */
export class StepTypeRegistry implements StepRegistrar<StepBuildContext["services"]> {
  readonly #factories = new Map<string, StepFactory>();

  register(type: string, factory: StepFactory): void {
    if (this.#factories.has(type)) throw new Error(`step type "${type}" is already registered`);
    this.#factories.set(type, factory);
  }

  has(type: string): boolean {
    return this.#factories.has(type);
  }

  types(): string[] {
    return [...this.#factories.keys()].sort();
  }

  factory(type: string): StepFactory {
    const factory = this.#factories.get(type);
    if (!factory) {
      const near = nearestName(type, this.types());
      throw new Error(`unknown step type "${type}"${near ? `; did you mean "${near}"?` : ""}`);
    }
    return factory;
  }

  create(
    type: string,
    name: string,
    config: Record<string, unknown>,
    services: StepBuildContext["services"],
  ): PipelineStep {
    return this.factory(type)({
      pipeline: "",
      name,
      type,
      config,
      label: `step "${name}"`,
      compile: () => {
        throw new Error(`step "${name}": templates need a pipeline; build it through one`);
      },
      services,
    });
  }
}
