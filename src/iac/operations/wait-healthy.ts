import {
  type Diagnostic,
  ErrRateLimited,
  ErrTransient,
  errorIs,
  type ResourceState,
} from "../../contracts/index.js";
import { troubleshoot } from "../apply/troubleshoot.js";
import type { ProviderSet } from "../provider-set.js";
import { refOf } from "./provider-groups.js";

export interface WaitHealthyOptions {
  readonly resources: readonly ResourceState[];
  readonly providers: ProviderSet;
  /** Give up after this long (default 10 minutes). */
  readonly timeoutMs?: number;
  /** Time between health checks of one resource (default 2 s). */
  readonly intervalMs?: number;
  readonly signal?: AbortSignal;
  /** Called when a resource turns healthy or its wait ends. */
  readonly onResult?: (result: HealthWaitResult) => void;
}

export interface HealthWaitResult {
  readonly name: string;
  readonly healthy: boolean;
  /** Why it is not healthy: the last health message or error, or the timeout. */
  readonly message?: string;
  /** From the driver's Troubleshooter when the wait failed. */
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * `apply --wait`: poll each resource's driver HealthCheck until it reports healthy.
 * Transient and rate-limit errors keep polling; any other error ends that resource's
 * wait at once. A resource still unhealthy at the deadline (or failed) is handed to
 * the driver's Troubleshooter so the user sees why without visiting the provider.
 */
export async function waitHealthy(options: WaitHealthyOptions): Promise<HealthWaitResult[]> {
  const deadline = Date.now() + (options.timeoutMs ?? 600_000);
  const interval = options.intervalMs ?? 2_000;
  return Promise.all(
    options.resources.map(async (entry) => {
      const result = await waitOne(entry, options, deadline, interval);
      options.onResult?.(result);
      return result;
    }),
  );
}

async function waitOne(
  entry: ResourceState,
  options: WaitHealthyOptions,
  deadline: number,
  interval: number,
): Promise<HealthWaitResult> {
  const driver = options.providers.get(entry.provider).resourceDriver(entry.type);
  const ref = refOf(entry);
  let last = "no health check answered yet";
  for (;;) {
    try {
      const health = await driver.healthCheck(ref, { signal: options.signal });
      if (health.healthy) return { name: entry.name, healthy: true, diagnostics: [] };
      last = health.message ?? "unhealthy";
    } catch (err) {
      last = (err as Error).message;
      if (!errorIs(err, ErrTransient) && !errorIs(err, ErrRateLimited)) break;
    }
    if (options.signal?.aborted || Date.now() + interval > deadline) {
      last = `timed out waiting for healthy; last status: ${last}`;
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
  const diagnostics = await troubleshoot(driver, ref, last);
  return { name: entry.name, healthy: false, message: last, diagnostics };
}
