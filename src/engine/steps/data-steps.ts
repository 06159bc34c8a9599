/**
 * The data steps: validation, HTTP calls, SQL, reshaping and publishing events.
 */
import { dbExecStep } from "./db-exec-step.js";
import { dbQueryStep } from "./db-query-step.js";
import { httpCallStep } from "./http-call-step.js";
import { publishStep } from "./publish-step.js";
import type { StepFactory } from "./step-factory.js";
import type { StepTypeRegistry } from "./step-registry.js";
import { transformStep } from "./transform-step.js";
import { validateStep } from "./validate-step.js";

export const dataSteps: Readonly<Record<string, StepFactory>> = {
  "step.validate": validateStep,
  "step.http_call": httpCallStep,
  "step.db_query": dbQueryStep,
  "step.db_exec": dbExecStep,
  "step.transform": transformStep,
  "step.publish": publishStep,
};

export function registerDataSteps(registry: StepTypeRegistry): void {
  for (const [type, factory] of Object.entries(dataSteps)) registry.register(type, factory);
}
