import type { IaCProvider, ResourceDriver, ResourceRef } from "../../contracts/index.js";

/** One call made to the provider under test or to one of its drivers. */
export interface RecordedCall {
  readonly target: "provider" | "driver";
  readonly method: string;
  /** For driver calls: the driver's resource type. */
  readonly type?: string;
  /** For driver calls: the name of the spec or ref passed. */
  readonly resource?: string;
  readonly args: readonly unknown[];
}

/** Driver methods whose success leaves a cloud resource the scenario must clean up. */
const MAKES_RESOURCES = new Set(["create", "replace", "update", "scale"]);

/**
 * Watches the provider under test without changing it: records every call (so a
 * scenario can check, e.g., that apply deleted through the driver exactly once) and
 * every resource a driver call produced (so clean-up can delete them whatever the
 * scenario did). Optional methods the provider lacks stay absent, so the contract's
 * type guards see the provider as it is.
 */
export class CallRecorder {
  readonly calls: RecordedCall[] = [];
  readonly #produced = new Map<string, ResourceRef>();

  /** The provider, with every call recorded. */
  wrap(provider: IaCProvider): IaCProvider {
    return forwarding(provider, (method, args) => {
      if (method === "resourceDriver") {
        const type = String(args[0]);
        return this.#wrapDriver(provider.resourceDriver(type), type);
      }
      this.calls.push({ target: "provider", method, args });
      return undefined;
    });
  }

  /** Calls of `method` (on drivers, unless `target` says otherwise), optionally for one resource. */
  find(
    method: string,
    resource?: string,
    target: RecordedCall["target"] = "driver",
  ): RecordedCall[] {
    return this.calls.filter(
      (c) =>
        c.target === target &&
        c.method === method &&
        (resource === undefined || c.resource === resource),
    );
  }

  count(method: string, resource?: string, target: RecordedCall["target"] = "driver"): number {
    return this.find(method, resource, target).length;
  }

  /** Every resource a create, replace, update or scale returned, once per provider ID. */
  produced(): ResourceRef[] {
    return [...this.#produced.values()];
  }

  #wrapDriver(driver: ResourceDriver, type: string): ResourceDriver {
    return forwarding(driver, (method, args, call) => {
      const resource = nameIn(args);
      this.calls.push({ target: "driver", method, type, ...(resource ? { resource } : {}), args });
      if (!MAKES_RESOURCES.has(method)) return undefined;
      const result: unknown = call();
      return Promise.resolve(result).then((out) => {
        const id = (out as { provider_id?: unknown } | undefined)?.provider_id;
        if (typeof id === "string" && id !== "") {
          const name = (out as { name?: unknown }).name;
          this.#produced.set(`${type}\0${id}`, {
            name: typeof name === "string" && name !== "" ? name : (resource ?? ""),
            type,
            provider_id: id,
          });
        }
        return out;
      });
    });
  }
}

/**
 * A proxy forwarding to `target` with methods bound to it (providers may keep private
 * fields). `intercept` sees each method call first: returning something other than
 * undefined answers the call instead; `call` runs the real method.
 */
function forwarding<T extends object>(
  target: T,
  intercept: (method: string, args: unknown[], call: () => unknown) => unknown,
): T {
  return new Proxy(target, {
    get(t, prop) {
      const value: unknown = Reflect.get(t, prop, t);
      if (typeof value !== "function" || typeof prop !== "string") return value;
      return (...args: unknown[]) => {
        const call = () => (value as (...a: unknown[]) => unknown).apply(t, args);
        const answer = intercept(prop, args, call);
        return answer === undefined ? call() : answer;
      };
    },
  });
}

/** The resource a driver call is about: the `name` of the first spec or ref argument. */
function nameIn(args: readonly unknown[]): string | undefined {
  for (const arg of args) {
    const name = (arg as { name?: unknown } | null)?.name;
    if (typeof arg === "object" && typeof name === "string") return name;
  }
  return undefined;
}
