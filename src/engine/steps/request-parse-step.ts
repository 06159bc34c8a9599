import { HTTP_REQUEST, type HttpRequestInfo } from "../http/http-exchange.js";
import type { StepFactory } from "./step-factory.js";

/**
 * `step.request_parse`: the request's path parameters, query, headers and body as
 * this step's output (`path_params`, `query`, `headers`, `body`). Without a request
 * (a run from the CLI or a schedule) it reads the same keys of the trigger data.
 */
export const requestParseStep: StepFactory = (ctx) => {
  const c = ctx.config;
  const list = (key: string) => (Array.isArray(c[key]) ? (c[key] as string[]) : undefined);
  const pathParams = list("path_params");
  const queryParams = list("query_params");
  const headerNames = list("parse_headers")?.map((h) => h.toLowerCase());
  const parseBody = c.parse_body === true;
  return {
    name: () => ctx.name,
    execute: async (pc) => {
      const request = pc.metadata[HTTP_REQUEST] as HttpRequestInfo | undefined;
      const trigger = pc.triggerData as Record<string, Record<string, string> | unknown>;
      const source = {
        path_params: request?.pathParams ?? asRecord(trigger.path_params),
        query: request?.query ?? asRecord(trigger.query),
        headers: request?.headers ?? asRecord(trigger.headers),
        body: request ? request.body : trigger.body,
      };
      return {
        output: {
          path_params: pick(source.path_params, pathParams),
          query: pick(source.query, queryParams),
          headers: pick(source.headers, headerNames, (k) => k.toLowerCase()),
          ...(parseBody ? { body: source.body ?? {} } : {}),
        },
      };
    },
  };
};

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** The named keys (all of them without a list), present ones only. */
function pick(
  source: Readonly<Record<string, unknown>>,
  names: readonly string[] | undefined,
  normalise: (key: string) => string = (k) => k,
): Record<string, unknown> {
  if (!names) return { ...source };
  const picked: Record<string, unknown> = {};
  for (const name of names) {
    const key = normalise(name);
    if (Object.hasOwn(source, key)) picked[name] = source[key];
  }
  return picked;
}
