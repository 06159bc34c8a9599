import {
  type Diagnostic,
  isTroubleshooter,
  type ResourceDriver,
  type ResourceRef,
} from "../../contracts/index.js";

export const TROUBLESHOOT_TIMEOUT_MS = 30_000;

/**
 * Provider-side context for a failure (e.g. a health wait that timed out), from the
 * driver's Troubleshooter if it has one. Best effort, as the seed requires: no
 * Troubleshooter, an error or no answer within `timeoutMs` all give no diagnostics,
 * and the caller reports its original failure either way.
 */
export async function troubleshoot(
  driver: ResourceDriver,
  ref: ResourceRef,
  failureMsg: string,
  timeoutMs: number = TROUBLESHOOT_TIMEOUT_MS,
): Promise<Diagnostic[]> {
  if (!isTroubleshooter(driver)) return [];
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<Diagnostic[]>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new Error(`troubleshoot timed out after ${timeoutMs} ms`));
      resolve([]);
    }, timeoutMs);
  });
  try {
    const answer = Promise.resolve()
      .then(() => driver.troubleshoot(ref, failureMsg, { signal: controller.signal }))
      .then((d) => (Array.isArray(d) ? d : []))
      .catch(() => []);
    return await Promise.race([answer, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
