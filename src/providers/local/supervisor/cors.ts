import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import type { CorsPolicy } from "./supervisor-protocol.js";

/** What a preflight may ask for when the policy names no methods. */
const DEFAULT_METHODS = ["GET", "HEAD", "PUT", "PATCH", "POST", "DELETE"];

function allowedOrigin(policy: CorsPolicy, origin: string | undefined): string | undefined {
  if (!origin) return undefined;
  return policy.allow_origins.includes("*") || policy.allow_origins.includes(origin)
    ? origin
    : undefined;
}

/**
 * Answers a CORS preflight (OPTIONS with Origin and Access-Control-Request-Method)
 * on the service's behalf: 204 with the policy's headers when the origin and method
 * are allowed, 403 otherwise. False when `req` is not a preflight.
 */
export function answerPreflight(
  policy: CorsPolicy,
  req: IncomingMessage,
  res: ServerResponse,
): boolean {
  const method = req.headers["access-control-request-method"];
  if (req.method !== "OPTIONS" || !req.headers.origin || typeof method !== "string") return false;
  const origin = allowedOrigin(policy, req.headers.origin);
  const methods = policy.allow_methods ?? DEFAULT_METHODS;
  if (!origin || !methods.some((m) => m.toUpperCase() === method.toUpperCase())) {
    res.writeHead(403, { vary: "Origin", "content-length": 0 });
    res.end();
    return true;
  }
  const requested = req.headers["access-control-request-headers"];
  const headers = policy.allow_headers?.join(", ") ?? requested;
  res.writeHead(204, {
    "access-control-allow-origin": origin,
    "access-control-allow-methods": methods.join(", "),
    ...(headers ? { "access-control-allow-headers": headers } : {}),
    ...(policy.allow_credentials ? { "access-control-allow-credentials": "true" } : {}),
    ...(policy.max_age_s !== undefined
      ? { "access-control-max-age": String(policy.max_age_s) }
      : {}),
    vary: "Origin",
  });
  res.end();
  return true;
}

/**
 * A proxied response's headers under the policy: the allowed origin echoed (never
 * `*`, so credentials stay possible), and `Vary: Origin` since the answer depends on it.
 */
export function withCorsHeaders(
  policy: CorsPolicy,
  origin: string | undefined,
  headers: IncomingHttpHeaders,
): IncomingHttpHeaders {
  const vary = headers.vary;
  const out: IncomingHttpHeaders = {
    ...headers,
    vary: !vary ? "Origin" : /\borigin\b/i.test(vary) ? vary : `${vary}, Origin`,
  };
  const allowed = allowedOrigin(policy, origin);
  if (!allowed) return out;
  out["access-control-allow-origin"] = allowed;
  if (policy.allow_credentials) out["access-control-allow-credentials"] = "true";
  if (policy.expose_headers?.length) {
    out["access-control-expose-headers"] = policy.expose_headers.join(", ");
  }
  return out;
}
