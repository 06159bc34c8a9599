/**
 * Shared helpers for the registration tests: compile a registered schema the way the
 * loader does (ajv, draft-07, strict) and assert that configs pass or fail.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { expect } from "vitest";
import type { ConfigTypeDefinition, JsonSchema } from "../../src/config/type-registry.js";

/**
 * Strict in every respect (strictTypes, strictRequired, …) except union types, which
 * templated values need. `useDefaults` fills in `default:` values as a loader may.
 */
export function compile(
  schema: JsonSchema,
  options: { useDefaults?: boolean } = {},
): ValidateFunction {
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, ...options });
  return ajv.compile(schema);
}

export interface Checker {
  valid(config: unknown): void;
  /** Expects a failure; when `at` is given, some error must concern that key (or instance path). */
  invalid(config: unknown, at?: string): ErrorObject[];
}

/**
 * Checks configs against `schema`. A config expected to be valid must stay valid after
 * `useDefaults` fills in `default:` values (as a loader may), so a default can never
 * collide with its alias or with another backend's keys.
 */
export function checker(schema: JsonSchema): Checker {
  const validate = compile(schema);
  const fillDefaults = compile(schema, { useDefaults: true });
  const expectValid = (fn: ValidateFunction, data: unknown) => {
    const ok = fn(data);
    expect(fn.errors ?? [], JSON.stringify(data)).toEqual([]);
    expect(ok).toBe(true);
  };
  return {
    valid(config) {
      expectValid(validate, config);
      const filled = structuredClone(config);
      expectValid(fillDefaults, filled);
      expectValid(validate, filled);
    },
    invalid(config, at) {
      const ok = validate(config);
      expect(ok, `expected to be rejected: ${JSON.stringify(config)}`).toBe(false);
      const errors = [...(validate.errors ?? [])];
      if (at !== undefined) {
        const concerned = errors.some((error) => concerns(error, at));
        expect(concerned, `no error about "${at}" in ${JSON.stringify(errors)}`).toBe(true);
      }
      return errors;
    },
  };
}

function concerns(error: ErrorObject, at: string): boolean {
  const params = error.params as Record<string, unknown>;
  const path = error.instancePath;
  return (
    path === at ||
    path.endsWith(`/${at}`) ||
    params.missingProperty === at ||
    params.additionalProperty === at
  );
}

/** The checker for one registered definition. */
export function checkerFor(definitions: readonly ConfigTypeDefinition[], type: string): Checker {
  const definition = definitions.find((d) => d.type === type);
  if (!definition) throw new Error(`type ${type} is not registered`);
  return checker(definition.configSchema);
}
