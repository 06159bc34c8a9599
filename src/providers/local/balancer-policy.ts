import { parseDuration } from "../../config/duration.js";
import {
  type CORSSpec,
  ErrValidation,
  type IngressRule,
  type RouteSpec,
  wrapSentinel,
} from "../../contracts/index.js";
import type { CorsPolicy, RouteRule } from "./supervisor/supervisor-protocol.js";

// A resource's `cors`, `routes` and `ingress.rules` as the rules its supervisor's balancer enforces.

/** `max_age` as seconds: a duration ("10m") or a bare number of seconds. */
function maxAgeSeconds(name: string, maxAge: string | undefined): number | undefined {
  if (maxAge === undefined) return undefined;
  const ms = /^\d+$/.test(maxAge) ? Number(maxAge) * 1000 : parseDuration(maxAge);
  if (ms === undefined) {
    throw wrapSentinel(
      ErrValidation,
      `${name}: cors.max_age "${maxAge}" is not a duration; write e.g. "10m" or "3600"`,
    );
  }
  return Math.round(ms / 1000);
}

export function corsPolicy(name: string, cors: CORSSpec): CorsPolicy {
  const maxAge = maxAgeSeconds(name, cors.max_age);
  return {
    allow_origins: cors.allow_origins ?? [],
    ...(cors.allow_methods ? { allow_methods: cors.allow_methods } : {}),
    ...(cors.allow_headers ? { allow_headers: cors.allow_headers } : {}),
    ...(cors.expose_headers ? { expose_headers: cors.expose_headers } : {}),
    ...(cors.allow_credentials ? { allow_credentials: true } : {}),
    ...(maxAge !== undefined ? { max_age_s: maxAge } : {}),
  };
}

/** Routes as balancer prefixes: a leading `/`, no trailing one (`/` stays `/`). */
export function routeRules(routes: readonly RouteSpec[]): RouteRule[] {
  return routes.map((route) => ({
    prefix: `/${route.path.replace(/^\/+|\/+$/g, "")}`,
    strip: route.preserve_path_prefix !== true,
  }));
}

/** The group of a service's own replicas. */
export const WEB_GROUP = "web";

/**
 * `routes` plus `ingress.rules` as the balancer's routes. A rule's `match` is a path
 * prefix (stripped like a route's) and its `component` the service itself (its name
 * or `web`) or one of its workers, which then gets a PORT. With rules but no
 * `routes`, every other path still goes to the service's replicas.
 */
export function serviceRouteRules(
  name: string,
  routes: readonly RouteSpec[] | undefined,
  rules: readonly IngressRule[] | undefined,
  workers: readonly string[],
): RouteRule[] {
  const own = routeRules(routes ?? []);
  if (!rules?.length) return own;
  const ingress = rules.map((rule): RouteRule => {
    if (!rule.match.startsWith("/")) {
      throw wrapSentinel(
        ErrValidation,
        `${name}: ingress rule match "${rule.match}" is not a path prefix; the local provider routes by path (start it with "/")`,
      );
    }
    const group = rule.component === name ? WEB_GROUP : rule.component;
    if (group !== WEB_GROUP && !workers.includes(group)) {
      throw wrapSentinel(
        ErrValidation,
        `${name}: ingress rule component "${rule.component}" is neither the service nor one of its workers (${[name, ...workers].join(", ")})`,
      );
    }
    return { ...routeRules([{ path: rule.match }])[0]!, group };
  });
  return [...(own.length > 0 ? own : routeRules([{ path: "/" }])), ...ingress];
}
