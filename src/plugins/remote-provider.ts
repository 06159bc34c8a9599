/**
 * An IaC provider that is a plugin process, indistinguishable to the engine from an
 * in-process one: the plugin starts at `initialize`; the seed's optional interfaces
 * are present exactly when the plugin lists them (`optional`, and `driver.info` per
 * resource type), so the engine's type checks and its "skip" handling of the
 * unimplemented sentinel work as for any provider. Plans are computed by wfctl from
 * the drivers' diffs (compute_plan_version v2).
 */
import { setTimeout } from "node:timers/promises";
import {
  type CallOptions,
  canonicalKeys,
  type DestroyResult,
  type DriftResult,
  ErrRateLimited,
  ErrTransient,
  errorIs,
  type IaCCapabilityDeclaration,
  type IaCPlan,
  type IaCProvider,
  type ProviderSizing,
  parseProviderIDFormat,
  type ResourceDriver,
  type ResourceHints,
  type ResourceRef,
  type ResourceState,
  type ResourceStatus,
  type Size,
} from "../contracts/index.js";
import { WfError } from "../diagnostics/index.js";
import { PluginConnection, type PluginConnectionOptions } from "./plugin-connection.js";
import type { InstalledPlugin } from "./plugin-directory.js";
import { initializePlugin, type PluginInitializeResult } from "./plugin-handshake.js";
import {
  DRIVER_METHODS,
  type DriverInfo,
  OPTIONAL_DRIVER_METHODS,
  OPTIONAL_PROVIDER_METHODS,
  PROVIDER_METHODS,
  paramsOf,
  type WireMethod,
} from "./provider-protocol.js";

type Call = (...args: unknown[]) => Promise<unknown>;

/** A call the plugin answered rate-limited or transient, about to be retried. */
export interface PluginRetry {
  readonly method: string;
  /** The retry's number, from 1. */
  readonly retry: number;
  readonly of: number;
  readonly delayMs: number;
  readonly error: string;
}

export interface RemoteProviderOptions extends PluginConnectionOptions {
  /** Retries of a call answered rate-limited or transient (default 3). */
  readonly retries?: number;
  /** The first retry's delay; each next one doubles it, ±25% jitter (default 250 ms). */
  readonly retryDelayMs?: number;
  readonly onRetry?: (retry: PluginRetry) => void;
}

const byMethod = (methods: readonly WireMethod[], name: string): WireMethod =>
  methods.find((m) => m.method === name) as WireMethod;

export class RemoteProvider implements IaCProvider {
  readonly #plugin: InstalledPlugin;
  readonly #options: RemoteProviderOptions;
  #connection: PluginConnection | undefined;
  #init: PluginInitializeResult | undefined;
  readonly #drivers = new Map<string, ResourceDriver>();

  constructor(plugin: InstalledPlugin, options: RemoteProviderOptions = {}) {
    this.#plugin = plugin;
    this.#options = options;
  }

  name(): string {
    return this.#init?.name ?? this.#plugin.manifest.iac?.provider ?? this.#plugin.manifest.name;
  }

  version(): string {
    return this.#init?.version ?? this.#plugin.manifest.version;
  }

  async initialize(config: Record<string, unknown>, opts: CallOptions = {}): Promise<void> {
    const connection = await PluginConnection.start(this.#plugin, this.#options);
    this.#connection = connection;
    const init = await initializePlugin(connection, config, opts);
    this.#init = init;
    for (const method of OPTIONAL_PROVIDER_METHODS) {
      if (init.optional.includes(method.wire)) this.#expose(this, method, {});
    }
    for (const { resource_type: type } of init.capabilities) {
      const info = await connection.request<DriverInfo>(
        "driver.info",
        { resource_type: type },
        opts,
      );
      this.#drivers.set(type, this.#driver(type, info));
    }
  }

  capabilities(): IaCCapabilityDeclaration[] {
    return [...(this.#init?.capabilities ?? [])];
  }

  supportedCanonicalKeys(): string[] {
    return [...(this.#init?.canonical_keys ?? canonicalKeys())];
  }

  resourceDriver(resourceType: string): ResourceDriver {
    const driver = this.#drivers.get(resourceType);
    if (!driver) {
      throw new WfError(
        "WF_ERR_PROVIDER",
        `provider "${this.name()}" (plugin "${this.#plugin.manifest.name}") has no driver for ${resourceType}; it declares ${[...this.#drivers.keys()].join(", ") || "none"}`,
      );
    }
    return driver;
  }

  async plan(): Promise<IaCPlan> {
    throw new Error(
      `provider "${this.name()}": plans are computed by wfctl through the drivers' diff`,
    );
  }

  resolveSizing(resourceType: string, size: Size, hints?: ResourceHints): Promise<ProviderSizing> {
    return this.#call(PROVIDER_METHODS, "resolveSizing", [resourceType, size, hints]);
  }

  status(resources: readonly ResourceRef[], opts?: CallOptions): Promise<ResourceStatus[]> {
    return this.#call(PROVIDER_METHODS, "status", [resources], opts);
  }

  detectDrift(resources: readonly ResourceRef[], opts?: CallOptions): Promise<DriftResult[]> {
    return this.#call(PROVIDER_METHODS, "detectDrift", [resources], opts);
  }

  import(cloudID: string, resourceType: string, opts?: CallOptions): Promise<ResourceState> {
    return this.#call(PROVIDER_METHODS, "import", [cloudID, resourceType], opts);
  }

  destroy(resources: readonly ResourceRef[], opts?: CallOptions): Promise<DestroyResult> {
    return this.#call(PROVIDER_METHODS, "destroy", [resources], opts);
  }

  async bootstrapStateBackend(cfg: Record<string, unknown>, opts?: CallOptions) {
    return (await this.#call(PROVIDER_METHODS, "bootstrapStateBackend", [cfg], opts)) ?? undefined;
  }

  async close(): Promise<void> {
    await this.#connection?.close();
  }

  /**
   * Calls the plugin; an answer of rate-limited or transient is retried with
   * exponential backoff, at most `retries` times, each retry reported.
   */
  async #call<T>(
    methods: readonly WireMethod[],
    name: string,
    args: readonly unknown[],
    opts: CallOptions = {},
    extra: Record<string, unknown> = {},
  ): Promise<T> {
    const connection = this.#connection;
    if (!connection) throw new Error(`provider "${this.name()}" is not initialised`);
    const method = byMethod(methods, name);
    const params = { ...extra, ...paramsOf(method, args) };
    const retries = this.#options.retries ?? 3;
    for (let retry = 1; ; retry++) {
      try {
        return await connection.request<T>(method.wire, params, opts);
      } catch (err) {
        const again = errorIs(err, ErrRateLimited) || errorIs(err, ErrTransient);
        if (!again || retry > retries || opts.signal?.aborted) throw err;
        const base = (this.#options.retryDelayMs ?? 250) * 2 ** (retry - 1);
        const delayMs = Math.round(base * (0.75 + Math.random() / 2));
        this.#options.onRetry?.({
          method: method.wire,
          retry,
          of: retries,
          delayMs,
          error: (err as Error).message,
        });
        await setTimeout(delayMs, undefined, opts.signal ? { signal: opts.signal } : {});
      }
    }
  }

  /** Adds `method` to `target`, calling the plugin (with `extra` params, e.g. the resource type). */
  #expose(target: object, method: WireMethod, extra: Record<string, unknown>): void {
    const call: Call = async (...args) => {
      const result = await this.#call(
        [method],
        method.method,
        args,
        optionsOf(method, args),
        extra,
      );
      return result ?? undefined;
    };
    Object.defineProperty(target, method.method, {
      value: call,
      configurable: true,
      writable: true,
    });
  }

  /** The driver of `type`: the required methods, and the optional ones `info` declares. */
  #driver(type: string, info: DriverInfo): ResourceDriver {
    const driver = {} as Record<string, unknown>;
    const extra = { resource_type: type };
    for (const method of DRIVER_METHODS) this.#expose(driver, method, extra);
    for (const [flag, method] of Object.entries(OPTIONAL_DRIVER_METHODS)) {
      if (info[flag as keyof typeof OPTIONAL_DRIVER_METHODS]) this.#expose(driver, method, extra);
    }
    if (info.supports_upsert) driver.supportsUpsert = async () => true;
    const format = parseProviderIDFormat(info.provider_id_format);
    if (format !== 0) driver.providerIDFormat = async () => format;
    return driver as unknown as ResourceDriver;
  }
}

/** A call's CallOptions: the argument after the method's params, when given. */
function optionsOf(method: WireMethod, args: readonly unknown[]): CallOptions {
  const last = args[method.params.length];
  return typeof last === "object" && last !== null ? (last as CallOptions) : {};
}
