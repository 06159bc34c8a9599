import type { RouteRule } from "./supervisor-protocol.js";

/**
 * The path to forward for `url` under the routes (the longest matching prefix wins,
 * matched on whole segments), or undefined when no route serves it. Without routes
 * every path is served as is.
 */
export function routePath(
  routes: readonly RouteRule[] | undefined,
  url: string,
): string | undefined {
  if (!routes || routes.length === 0) return url;
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
  if (!best.strip || best.prefix === "/") return url;
  const rest = path.slice(best.prefix.length);
  return `${rest.startsWith("/") ? rest : `/${rest}`}${search}`;
}
