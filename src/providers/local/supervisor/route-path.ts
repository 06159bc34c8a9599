import type { RouteRule } from "./supervisor-protocol.js";

/** Where a request goes: the path to forward and the group of the route that took it. */
export interface RouteTarget {
  readonly path: string;
  /** Undefined: the balancer's own group. */
  readonly group: string | undefined;
}

/**
 * The target of `url` under the routes (the longest matching prefix wins, matched on
 * whole segments), or undefined when no route serves it. Without routes every path
 * is served as is.
 */
export function routeTarget(
  routes: readonly RouteRule[] | undefined,
  url: string,
): RouteTarget | undefined {
  if (!routes || routes.length === 0) return { path: url, group: undefined };
  const query = url.indexOf("?");
  const path = query < 0 ? url : url.slice(0, query);
  const search = query < 0 ? "" : url.slice(query);
  let best: RouteRule | undefined;
  for (const route of routes) {
    const prefix = route.prefix === "/" ? "" : route.prefix;
    const under = path === prefix || path.startsWith(`${prefix}/`) || route.prefix === "/";
    if (under && (!best || route.prefix.length > best.prefix.length)) best = route;
  }
  if (!best) return undefined;
  if (!best.strip || best.prefix === "/") return { path: url, group: best.group };
  const rest = path.slice(best.prefix.length);
  return { path: `${rest.startsWith("/") ? rest : `/${rest}`}${search}`, group: best.group };
}
