import FindMyWay from "find-my-way";
import type { Tenant } from "../../contracts/index.js";
import type { HttpRequestInfo, HttpResponder } from "./http-exchange.js";

/** What runs for a matched route. */
export interface RouteTarget {
  /** As configured: `/api/orders/{id}`. */
  readonly pattern: string;
  readonly method: string;
  readonly pipeline: string;
  /** Keep the unparsed body as `raw_body`. */
  readonly rawBody: boolean;
  readonly handle: RouteHandler;
}

/** Runs the route's pipeline for one request and answers it through `call.responder`. */
export type RouteHandler = (call: HttpCall) => Promise<void>;

export interface HttpCall {
  readonly request: HttpRequestInfo;
  readonly responder: HttpResponder;
  readonly requestId: string | undefined;
  /** The request's tenant, when the app resolves tenants and found one. */
  readonly tenant?: Tenant | undefined;
}

export type RouteMatch =
  | {
      readonly kind: "found";
      readonly target: RouteTarget;
      readonly params: Record<string, string>;
    }
  | { readonly kind: "method"; readonly allow: readonly string[] }
  | { readonly kind: "none" };

/**
 * The app's pipeline routes. Kept apart from the server so a reload can swap the
 * whole table at once while the server keeps listening. `{name}` matches one
 * segment; a final `{name...}` matches the rest of the path.
 */
export class RouteTable {
  readonly #router = FindMyWay({ ignoreTrailingSlash: true });
  readonly #methods = new Map<string, Set<string>>();
  readonly targets: RouteTarget[] = [];

  add(target: RouteTarget): void {
    const { path, rest } = toRouterPath(target.pattern);
    const methods = this.#methods.get(path) ?? new Set<string>();
    if (methods.has(target.method)) {
      const other = this.targets.find(
        (t) => t.method === target.method && toRouterPath(t.pattern).path === path,
      );
      throw new Error(
        `${target.method} ${target.pattern} is already the route of pipeline "${other?.pipeline}"`,
      );
    }
    methods.add(target.method);
    this.#methods.set(path, methods);
    this.targets.push(target);
    this.#router.on(target.method as FindMyWay.HTTPMethod, path, () => {}, { target, rest });
  }

  match(method: string, path: string): RouteMatch {
    const found = this.#router.find(method as FindMyWay.HTTPMethod, path);
    if (found) {
      const { target, rest } = found.store as { target: RouteTarget; rest: string | undefined };
      return { kind: "found", target, params: routeParams(found.params, rest) };
    }
    const allow = this.targets
      .filter(
        (t) => t.method !== method && this.#router.find(t.method as FindMyWay.HTTPMethod, path),
      )
      .map((t) => t.method);
    return allow.length > 0 ? { kind: "method", allow: [...new Set(allow)] } : { kind: "none" };
  }
}

/** A router's params as the pipeline sees them: the wildcard under its `{name...}` name. */
export function routeParams(
  found: Readonly<Record<string, string | undefined>>,
  rest: string | undefined,
): Record<string, string> {
  const params: Record<string, string> = {};
  for (const key in found) {
    const value = found[key];
    if (value !== undefined) params[key === "*" && rest ? rest : key] = value;
  }
  return params;
}

/** `/a/{id}/b` → `/a/:id/b`; a final `{rest...}` → `*` (named `rest` in params). */
export function toRouterPath(pattern: string): { path: string; rest: string | undefined } {
  let rest: string | undefined;
  const path = pattern
    .split("/")
    .map((segment) => {
      const many = /^\{([A-Za-z_][A-Za-z0-9_]*)\.\.\.\}$/.exec(segment);
      if (many) {
        rest = many[1];
        return "*";
      }
      return segment.replace(/^\{([A-Za-z_][A-Za-z0-9_-]*)\}$/, ":$1");
    })
    .join("/");
  return { path, rest };
}
