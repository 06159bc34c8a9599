/**
 * `step.http_call`: calls an HTTP endpoint with fetch. The body is JSON (`body`,
 * `body_from`, or the current data for methods other than GET/HEAD); the call is
 * limited by `timeout` (default 30s) and by the pipeline's own signal. Output:
 * `{status_code, status, headers, body, elapsed_ms}`, the body decoded when it is
 * JSON. A status of 400 or above fails the step unless `error_on_status` is false.
 * Messages show the URL without its query or credentials and never header values.
 */

import { parseDuration } from "../../config/index.js";
import type { PipelineContext } from "../../contracts/index.js";
import { isPlainObject } from "../../is-record.js";
import { isTruthy } from "../templates/index.js";
import type { CompiledValue } from "../templates/template-api.js";
import { configError, messageOf, optionalString, pipelineStep } from "./data-step-support.js";
import type { StepBuildContext, StepFactory } from "./step-factory.js";
import { render, valueAtPath } from "./step-runtime.js";

const DEFAULT_TIMEOUT = "30s";
const BODYLESS = new Set(["GET", "HEAD"]);
const EXCERPT = 200;

export const httpCallStep: StepFactory = (ctx) => {
  const method = (optionalString(ctx, "method") ?? "GET").toUpperCase();
  if (optionalString(ctx, "url") === undefined) throw configError(ctx, "config.url is required");
  if (ctx.config.body !== undefined && ctx.config.body_from !== undefined) {
    throw configError(ctx, "set config.body or config.body_from, not both");
  }
  const url = ctx.compile(["url"]);
  const headers = ctx.config.headers === undefined ? undefined : ctx.compile(["headers"]);
  const body = ctx.config.body === undefined ? undefined : ctx.compile(["body"]);
  const bodyFrom = optionalString(ctx, "body_from");
  const timeout = setting(ctx, "timeout", DEFAULT_TIMEOUT);
  const errorOnStatus = setting(ctx, "error_on_status", true);
  // Static settings fail the build, not the first request.
  const labelled = <T>(read: () => T): T => {
    try {
      return read();
    } catch (err) {
      throw configError(ctx, messageOf(err));
    }
  };
  if (!url.dynamic) labelled(() => targetOf(render0(url)));
  if (!timeout.dynamic) labelled(() => timeoutMs(render0(timeout)));

  return pipelineStep(ctx, async (pc, opts) => {
    const target = targetOf(render(pc, url));
    const ms = timeoutMs(render(pc, timeout));
    const shown = `${method} ${target.origin}${target.pathname}`;
    const request = requestOf(pc, method, headers, body, bodyFrom);
    const timer = AbortSignal.timeout(ms);
    const signal = opts.signal ? AbortSignal.any([opts.signal, timer]) : timer;
    const started = performance.now();
    let response: Response;
    let text: string;
    try {
      response = await fetch(target, { method, ...request, signal });
      text = method === "HEAD" ? "" : await response.text();
    } catch (err) {
      if (opts.signal?.aborted) throw opts.signal.reason;
      if (timer.aborted) throw new Error(`${shown} timed out after ${formatMs(ms)}`);
      throw new Error(`${shown} failed: ${causeOf(err)}`, { cause: err });
    }
    const elapsed = Math.round(performance.now() - started);
    const status = `${response.status} ${response.statusText}`.trim();
    if (response.status >= 400 && isTruthy(render(pc, errorOnStatus))) {
      const excerpt = text.length > EXCERPT ? `${text.slice(0, EXCERPT)}…` : text;
      throw new Error(`${shown} answered ${status}${excerpt ? `: ${excerpt}` : ""}`);
    }
    return {
      output: {
        status_code: response.status,
        status,
        headers: Object.fromEntries(response.headers),
        body: decode(text, response.headers.get("content-type")),
        elapsed_ms: elapsed,
      },
    };
  });
};

/** A config value that has a default: compiled when set, else the default as is. */
function setting(ctx: StepBuildContext, key: string, fallback: unknown): CompiledValue {
  if (ctx.config[key] === undefined) return { dynamic: false, render: () => fallback };
  return ctx.compile([key]);
}

const render0 = (value: CompiledValue) => value.render({}, { strict: false });

function targetOf(value: unknown): URL {
  const text = typeof value === "string" ? value.trim() : "";
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new Error(`url must be an absolute http:// or https:// URL, got ${JSON.stringify(text)}`);
  }
  return url;
}

function timeoutMs(value: unknown): number {
  const ms = typeof value === "string" ? parseDuration(value.trim()) : undefined;
  if (ms === undefined || ms <= 0) {
    throw new Error(`timeout must be a duration such as 5s or 500ms, got ${JSON.stringify(value)}`);
  }
  return ms;
}

interface RequestParts {
  headers: Record<string, string>;
  body?: string;
}

function requestOf(
  pc: PipelineContext,
  method: string,
  headers: CompiledValue | undefined,
  body: CompiledValue | undefined,
  bodyFrom: string | undefined,
): RequestParts {
  const rendered = headers === undefined ? {} : render(pc, headers);
  const out: Record<string, string> = {};
  if (isPlainObject(rendered)) {
    for (const [name, value] of Object.entries(rendered)) {
      if (value !== undefined && value !== null) out[name.toLowerCase()] = String(value);
    }
  }
  const data =
    body !== undefined
      ? render(pc, body)
      : bodyFrom !== undefined
        ? valueAtPath(pc, bodyFrom)
        : BODYLESS.has(method)
          ? undefined
          : pc.current;
  if (data === undefined) return { headers: out };
  const type = out["content-type"];
  // A string body goes out as is when the config chose a non-JSON content type.
  if (typeof data === "string" && type !== undefined && !isJsonType(type)) {
    return { headers: out, body: data };
  }
  out["content-type"] ??= "application/json";
  return { headers: out, body: JSON.stringify(data) };
}

const isJsonType = (type: string) => /^application\/(?:[\w.+-]+\+)?json\b/i.test(type.trim());

function decode(text: string, type: string | null): unknown {
  if (text === "" || type === null || !isJsonType(type)) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** undici's "fetch failed" hides the reason (refused, DNS, TLS) in `cause`. */
function causeOf(err: unknown): string {
  const cause = err instanceof Error ? err.cause : undefined;
  return cause === undefined ? messageOf(err) : `${messageOf(err)} (${messageOf(cause)})`;
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
