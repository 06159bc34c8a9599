import { nearestName } from "../../config/index.js";
import type { PipelineStep, StepRegistrar } from "../../contracts/index.js";
import { compileValue } from "../templates/index.js";
import type { StepBuildContext, StepFactory } from "./step-factory.js";

/**
 * The step types an app can use: the built-in ones and those a config's `steps:`
 * modules register. Also the seed's StepRegistrar, for code that creates steps
 * outside a pipeline (templates compile without file positions).
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
      compile: (path, value) =>
        compileValue(value === undefined ? valueAtConfigPath(config, path) : value, {
          label: `step "${name}" config.${path.join(".")}`,
        }),
      services,
    });
  }
}

/** The value at `path` inside a step's config (undefined when absent). */
export function valueAtConfigPath(
  config: Readonly<Record<string, unknown>>,
  path: readonly (string | number)[],
): unknown {
  let value: unknown = config;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}
