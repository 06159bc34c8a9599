import {
  type CallOptions,
  ErrResourceNotFound,
  errorIs,
  type ResourceDriver,
  type ResourceOutput,
  type ResourceRef,
  type ResourceSpec,
} from "../../contracts/index.js";
import { toError } from "../../diagnostics/index.js";

/** Which step of a default replace failed; after `canceled` or `create` the old resource is gone. */
export type ReplaceStep = "delete" | "canceled" | "create";

export class ReplaceError extends Error {
  override readonly name = "ReplaceError";
  readonly step: ReplaceStep;

  constructor(step: ReplaceStep, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.step = step;
  }
}

/**
 * The seed's DefaultReplace: delete the old resource, then create the new one, with
 * the seed's error prefixes. An old resource that is already gone counts as deleted.
 * Between the two steps an aborted `opts.signal` stops it (the forced stop: a replace
 * in flight during a graceful stop runs to the end). Exported so a ResourceReplacer
 * can fall back to it for specs it has nothing special to do for.
 */
export async function defaultReplace(
  driver: ResourceDriver,
  oldRef: ResourceRef,
  spec: ResourceSpec,
  opts?: CallOptions,
): Promise<ResourceOutput> {
  try {
    await driver.delete(oldRef, opts);
  } catch (err) {
    if (!errorIs(err, ErrResourceNotFound)) {
      throw new ReplaceError("delete", `replace: delete: ${toError(err).message}`, err);
    }
  }
  if (opts?.signal?.aborted) {
    throw new ReplaceError(
      "canceled",
      `replace: canceled after delete: ${toError(opts.signal.reason).message}`,
    );
  }
  try {
    return await driver.create(spec, opts);
  } catch (err) {
    throw new ReplaceError("create", `replace: create: ${toError(err).message}`, err);
  }
}

/**
 * A ResourceReplacer's error as reported: drivers should name the failed step
 * (`replace: …` or `<type> replace …`); anything else is attributed to the driver.
 */
export function replacerErrorMessage(err: unknown): string {
  const message = toError(err).message;
  return /^(replace:|\S+ replace )/.test(message) ? message : `replace: driver: ${message}`;
}
