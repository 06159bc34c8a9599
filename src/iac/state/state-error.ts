import { toError, WfError } from "../../diagnostics/index.js";

/**
 * Gives a failure of a state operation its context: what was being done and where the
 * state lives. Errors already meant for people (WfError, with their own codes) and
 * cancellations pass through unchanged.
 */
export function toStateError(
  err: unknown,
  doing: string,
  where: { readonly backend: string; readonly location: string },
  signal?: AbortSignal,
): unknown {
  if (signal?.aborted && err === signal.reason) return err;
  if (WfError.is(err)) return err;
  const cause = toError(err);
  return new WfError(
    "WF_ERR_STATE",
    `could not ${doing} (${where.backend} state at ${where.location}): ${cause.message}`,
    { cause },
  );
}
