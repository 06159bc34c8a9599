import type { PipelineContext, StepResult } from "../../contracts/index.js";
import { HTTP_RESPONSE, type HttpResponder } from "../http/http-exchange.js";
import type { CompiledValue } from "../templates/template-api.js";
import { expandFromRefs, pathTemplate } from "./data-path-template.js";
import type { StepBuildContext, StepFactory } from "./step-factory.js";
import { render } from "./step-runtime.js";

/** What a response step sends; without a request it is the step's output instead. */
interface Response {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

/**
 * `step.json_response`: answers the request with `body` (or `body_from`) as JSON and
 * ends the pipeline. `{_from: PATH}` inside `body` inserts data unchanged. Without a
 * request (CLI, schedule) the output is `{status, headers, body}`.
 */
export const jsonResponseStep: StepFactory = (ctx) => {
  const status = statusOf(ctx);
  const headers = ctx.config.headers === undefined ? undefined : ctx.compile(["headers"]);
  const body = bodyOf(ctx);
  return responseStep(ctx, (pc) => ({
    status: status(pc),
    headers: { "content-type": "application/json; charset=utf-8", ...renderHeaders(pc, headers) },
    body: body ? render(pc, body) : undefined,
  }));
};

/** `step.raw_response`: answers with text (`content_type`) and ends the pipeline. */
export const rawResponseStep: StepFactory = (ctx) => {
  const status = statusOf(ctx);
  const headers = ctx.config.headers === undefined ? undefined : ctx.compile(["headers"]);
  const body = bodyOf(ctx);
  const contentType =
    typeof ctx.config.content_type === "string"
      ? ctx.config.content_type
      : "text/plain; charset=utf-8";
  return responseStep(ctx, (pc) => {
    const value = body ? render(pc, body) : "";
    return {
      status: status(pc),
      headers: { "content-type": contentType, ...renderHeaders(pc, headers) },
      body:
        typeof value === "string"
          ? value
          : value === undefined || value === null
            ? ""
            : JSON.stringify(value),
    };
  });
};

function responseStep(
  ctx: StepBuildContext,
  build: (pc: PipelineContext) => Response,
): ReturnType<StepFactory> {
  return {
    name: () => ctx.name,
    execute: async (pc): Promise<StepResult> => {
      const response = build(pc);
      const responder = pc.metadata[HTTP_RESPONSE] as HttpResponder | undefined;
      if (responder) {
        responder.respond(response.status, response.headers, response.body);
        return { output: { status: response.status }, stop: true };
      }
      return { output: { ...response }, stop: true };
    },
  };
}

function bodyOf(ctx: StepBuildContext): CompiledValue | undefined {
  if (typeof ctx.config.body_from === "string")
    return ctx.compile(["body_from"], pathTemplate(ctx.config.body_from));
  if (ctx.config.body === undefined) return undefined;
  return ctx.compile(["body"], expandFromRefs(ctx.config.body));
}

/** `status_from` when it yields a status code, else `status` (default 200). */
function statusOf(ctx: StepBuildContext): (pc: PipelineContext) => number {
  const status = ctx.config.status === undefined ? undefined : ctx.compile(["status"]);
  const from =
    typeof ctx.config.status_from === "string"
      ? ctx.compile(["status_from"], pathTemplate(ctx.config.status_from))
      : undefined;
  return (pc) => {
    const fromValue = from ? toStatus(render(pc, from)) : undefined;
    if (fromValue !== undefined) return fromValue;
    const value = status ? toStatus(render(pc, status)) : 200;
    if (value === undefined) throw new Error("status is not an HTTP status code (100–599)");
    return value;
  };
}

function toStatus(value: unknown): number | undefined {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof n === "number" && Number.isInteger(n) && n >= 100 && n <= 599 ? n : undefined;
}

function renderHeaders(
  pc: PipelineContext,
  headers: CompiledValue | undefined,
): Record<string, string> {
  if (!headers) return {};
  const rendered = render(pc, headers) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(rendered).map(([k, v]) => [k.toLowerCase(), String(v ?? "")]),
  );
}
