import { registerTenantSteps } from "../../tenants/tenant-steps.js";
import { conditionalStep } from "./conditional-step.js";
import { registerDataSteps } from "./data-steps.js";
import { foreachStep } from "./foreach-step.js";
import { logStep } from "./log-step.js";
import { parallelStep } from "./parallel-step.js";
import { pipelineOutputStep } from "./pipeline-output-step.js";
import { requestParseStep } from "./request-parse-step.js";
import { jsonResponseStep, rawResponseStep } from "./response-steps.js";
import { retryStep } from "./retry-step.js";
import { setStep } from "./set-step.js";
import { StepTypeRegistry } from "./step-registry.js";
import { workflowCallStep } from "./workflow-call-step.js";

/** A registry with every built-in step type. */
export function builtinSteps(): StepTypeRegistry {
  const registry = new StepTypeRegistry();
  registry.register("step.set", setStep);
  registry.register("step.log", logStep);
  registry.register("step.request_parse", requestParseStep);
  registry.register("step.json_response", jsonResponseStep);
  registry.register("step.raw_response", rawResponseStep);
  registry.register("step.pipeline_output", pipelineOutputStep);
  registry.register("step.conditional", conditionalStep);
  registry.register("step.workflow_call", workflowCallStep);
  registry.register("step.foreach", foreachStep);
  registry.register("step.parallel", parallelStep);
  registry.register("step.retry_with_backoff", retryStep);
  registerDataSteps(registry);
  registerTenantSteps(registry);
  return registry;
}
