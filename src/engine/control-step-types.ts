/**
 * Config types of the control-flow steps: routing (`step.conditional`), calling
 * another pipeline (`step.workflow_call`) and steps that run nested steps
 * (`step.foreach`, `step.parallel`, `step.retry_with_backoff`).
 */
import {
  absent,
  closedObject,
  duration,
  excludes,
  present,
  requiresOneOf,
  templated,
  text,
  when,
} from "../config/schema-fragments.js";
import type { ConfigTypeDefinition, JsonSchema } from "../config/type-registry.js";

const ERROR_STRATEGIES = ["fail_fast", "collect_errors"] as const;

/**
 * A step defined inside another step (`step.foreach`, `step.parallel`,
 * `step.retry_with_backoff`). Canonical form `{name?, type, config}`; upstream's flat
 * form `{name?, type, ...config keys}` is also accepted (everything beside `name` and
 * `type` is the config), so without `config` the object stays open.
 */
function nestedStep(options: { nameRequired: boolean }): JsonSchema {
  const properties = {
    name: text({
      description: options.nameRequired
        ? "Branch name; its output is reported under this name (unique within the step)."
        : "Name of the nested step (in errors and outputs); defaults to the parent's name plus its position.",
    }),
    type: {
      description: "Step type, e.g. `step.http_call`.",
      type: "string",
      pattern: "^step\\.",
    },
    config: {
      description:
        "The nested step's config, validated like a top-level step of that type. (Upstream's flat form, with the config keys beside `type`, is also accepted.)",
      type: "object",
    },
  };
  return {
    description:
      "A nested step: `{name, type, config}` (or upstream's flat `{name, type, ...config}`).",
    type: "object",
    properties,
    required: options.nameRequired ? ["name", "type"] : ["type"],
    ...when(present("config"), {
      properties: { name: true, type: true, config: true },
      additionalProperties: false,
    }),
  };
}

export const stepConditional: ConfigTypeDefinition = {
  type: "step.conditional",
  description:
    "Jumps to another step: by the value of `field` looked up in `routes`, or by the truth of `if`. Execution continues sequentially from the target.",
  configSchema: closedObject(
    "Configuration of a `step.conditional` step: either `{field, routes, default}` or `{if, then, else}`.",
    {
      field: text({
        description:
          "Value to route on: a dotted path (`steps.parse.body.kind`) or a template (`{{ .trigger.headers.X-Kind }}`).",
      }),
      routes: {
        description: "Maps a value of `field` to the name of the step to jump to.",
        type: "object",
        minProperties: 1,
        additionalProperties: { type: "string", minLength: 1 },
      },
      default: text({
        description:
          "Step to jump to when the value is not in `routes`; without it that is an error.",
      }),
      if: text({
        description:
          'Condition template (`{{ gt .steps.total.value 100 }}`); false when it renders `""`, `false` or `0`.',
      }),
      // biome-ignore lint/suspicious/noThenProperty: the step's `then` key (a step name); never awaited.
      then: text({ description: "Step to jump to when `if` is true." }),
      else: text({
        description:
          "Step to jump to when `if` is false; without it the pipeline continues with the next step.",
      }),
    },
    when(
      present("if"),
      { allOf: [present("then"), absent("field", "routes", "default")] },
      { allOf: [present("field", "routes"), absent("then", "else")] },
    ),
  ),
};

export const stepWorkflowCall: ConfigTypeDefinition = {
  type: "step.workflow_call",
  description:
    "Runs another pipeline of this config: waits for its result (`sync`) or starts it in the background (`async`).",
  configSchema: closedObject(
    "Configuration of a `step.workflow_call` step.",
    {
      workflow: text({ description: "Name of the pipeline to run." }),
      mode: {
        description:
          "`sync` waits and outputs the result; `async` starts the pipeline and outputs `{workflow, mode, dispatched}` at once.",
        enum: ["sync", "async"],
        default: "sync",
      },
      input: templated("object", {
        description:
          "Trigger data of the called pipeline, values may be templates; default: the current data.",
      }),
      output_mapping: {
        description:
          "Output key → dotted path into the called pipeline's data (`steps.save.row.id`); default: all of it as `result`.",
        type: "object",
        additionalProperties: { type: "string", minLength: 1 },
      },
      timeout: duration(
        { description: "Time limit for the called pipeline.", default: "30s" },
        { allow: "template" },
      ),
      stop_pipeline: {
        description:
          "End this pipeline successfully after the call (e.g. when the callee responded).",
        type: "boolean",
        default: false,
      },
    },
    { required: ["workflow"] },
  ),
};

export const stepForeach: ConfigTypeDefinition = {
  type: "step.foreach",
  description:
    "Runs nested steps once per item of a list; outputs `{results, count}` (and `error_count` with `collect_errors`).",
  configSchema: closedObject(
    "Configuration of a `step.foreach` step.",
    {
      collection: text({
        description:
          "The list to iterate: a dotted path (`steps.fetch.rows`) or a template yielding a list.",
      }),
      item_var: text({
        description: "Key under which nested steps see the current item (default `item`).",
      }),
      item_key: text({ description: "Upstream alias of `item_var`." }),
      index_key: text({
        description: "Key under which nested steps see the item's position (0-based).",
        default: "index",
      }),
      step: nestedStep({ nameRequired: false }),
      steps: {
        description: "Nested steps run in order for every item.",
        type: "array",
        minItems: 1,
        items: nestedStep({ nameRequired: false }),
      },
      concurrency: {
        description: "Items processed at once; 0 processes them one after another.",
        type: "integer",
        minimum: 0,
        default: 0,
      },
      error_strategy: {
        description:
          "`fail_fast` stops at the first failing item; `collect_errors` records failures in `results` and continues.",
        enum: [...ERROR_STRATEGIES],
        default: "fail_fast",
      },
    },
    {
      required: ["collection"],
      allOf: [
        requiresOneOf("step", "steps"),
        excludes("step", "steps"),
        excludes("item_var", "item_key"),
      ],
    },
  ),
};

export const stepParallel: ConfigTypeDefinition = {
  type: "step.parallel",
  description:
    "Runs nested steps concurrently, each on its own copy of the data; outputs `{results, errors, completed, failed}` keyed by branch name.",
  configSchema: closedObject(
    "Configuration of a `step.parallel` step.",
    {
      steps: {
        description: "The branches; each needs a unique `name`.",
        type: "array",
        minItems: 1,
        items: nestedStep({ nameRequired: true }),
      },
      error_strategy: {
        description:
          "`fail_fast` fails (cancelling the others) when a branch fails; `collect_errors` reports failures in `errors` and fails only if every branch failed.",
        enum: [...ERROR_STRATEGIES],
        default: "fail_fast",
      },
    },
    { required: ["steps"] },
  ),
};

export const stepRetryWithBackoff: ConfigTypeDefinition = {
  type: "step.retry_with_backoff",
  description:
    "Runs a nested step, retrying failures with exponential backoff; its output gains `retry_attempts`.",
  configSchema: closedObject(
    "Configuration of a `step.retry_with_backoff` step.",
    {
      step: nestedStep({ nameRequired: false }),
      max_retries: {
        description: "Retries after the first attempt (0 = no retry).",
        type: "integer",
        minimum: 0,
        default: 3,
      },
      initial_delay: duration({ description: "Wait before the first retry.", default: "1s" }),
      max_delay: duration({ description: "Longest wait between attempts.", default: "30s" }),
      multiplier: {
        description: "Factor applied to the wait after every retry.",
        type: "number",
        exclusiveMinimum: 0,
        default: 2,
      },
    },
    { required: ["step"] },
  ),
};
