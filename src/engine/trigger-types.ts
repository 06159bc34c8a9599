/**
 * Config types of pipeline triggers (`pipelines.NAME.trigger`): `http` (a route on the
 * HTTP server), `schedule` (cron) and `event` (an event bus topic). Plain data plus one
 * register function; the triggers themselves live in src/engine/triggers/.
 */
import { closedObject, excludes, HTTP_METHODS, text } from "../config/schema-fragments.js";
import type { ConfigTypeDefinition, ConfigTypeRegistry } from "../config/type-registry.js";

/** A path segment: a literal (not starting with `:`) or a `{name}` / `{name...}` wildcard. */
const ROUTE_SEGMENT = "(?:\\{[A-Za-z_][A-Za-z0-9_]*(?:\\.\\.\\.)?\\}|[^/{}:\\s][^/{}\\s]*)?";
const ROUTE_PATH = `^/(?:${ROUTE_SEGMENT}(?:/${ROUTE_SEGMENT})*)?$`;

/** Five fields (minute hour day month weekday), six with leading seconds, or a nickname. */
const CRON = "^\\s*(?:@(?:yearly|annually|monthly|weekly|daily|hourly)|\\S+(?:\\s+\\S+){4,5})\\s*$";

/** An IANA time zone name such as `UTC`, `Europe/Paris` or `America/Argentina/Buenos_Aires`. */
const TIME_ZONE = "^[A-Za-z][A-Za-z0-9_+-]*(?:/[A-Za-z0-9_+-]+)*$";

const httpTrigger: ConfigTypeDefinition = {
  type: "http",
  description: "Runs the pipeline for requests to a route of the app's `http.server`.",
  configSchema: closedObject(
    "Configuration of an `http` trigger. Trigger data: `{method, path, path_params, query, headers, body}`.",
    {
      method: {
        description: "HTTP method of the route, upper case.",
        enum: [...HTTP_METHODS],
        default: "GET",
      },
      path: {
        description:
          "Route path starting with `/`; `{name}` matches one segment, a final `{name...}` the rest (e.g. `/api/orders/{id}`). `:name` segments are not supported.",
        type: "string",
        pattern: ROUTE_PATH,
      },
      // No `default:` on an aliased key: filled-in defaults would collide with the alias.
      raw_body: {
        description:
          "Also keep the unparsed request body as `raw_body` in the trigger data (e.g. to verify webhook signatures). Default false.",
        type: "boolean",
      },
      include_raw_body: {
        description: "Upstream alias of `raw_body`.",
        type: "boolean",
      },
    },
    { required: ["path"], allOf: [excludes("raw_body", "include_raw_body")] },
  ),
};

const scheduleTrigger: ConfigTypeDefinition = {
  type: "schedule",
  description:
    "Runs the pipeline on a cron schedule, in each `wfctl run` process; a tick while the previous run goes on is skipped.",
  configSchema: closedObject(
    "Configuration of a `schedule` trigger. Trigger data: `{trigger_time}`.",
    {
      cron: text({
        description:
          "Cron expression: `minute hour day-of-month month day-of-week` (e.g. `*/5 * * * *`), optionally with leading seconds, or `@hourly`, `@daily`, `@weekly`, `@monthly`, `@yearly`.",
        pattern: CRON,
      }),
      timezone: text({
        description: "IANA time zone the expression is read in, e.g. `Europe/Paris`.",
        default: "UTC",
        pattern: TIME_ZONE,
      }),
    },
    { required: ["cron"] },
  ),
};

const eventTrigger: ConfigTypeDefinition = {
  type: "event",
  description: "Runs the pipeline for every message published on an event bus topic.",
  configSchema: closedObject(
    "Configuration of an `event` trigger. Trigger data: the message payload.",
    {
      topic: text({ description: "Topic to subscribe to, e.g. `orders.created`." }),
      event: text({
        description:
          "Only messages whose `type` (or `eventType`) field equals this value run the pipeline.",
      }),
    },
    { required: ["topic"] },
  ),
};

export const triggerTypes: readonly ConfigTypeDefinition[] = [
  httpTrigger,
  scheduleTrigger,
  eventTrigger,
];

export function registerTriggerTypes(registry: ConfigTypeRegistry): void {
  for (const definition of triggerTypes) registry.register("trigger", definition);
}
