import {
  ErrResourceNotFound,
  errorIs,
  type ResourceDriver,
  type ResourceRef,
} from "../../contracts/index.js";
import { toError } from "../../diagnostics/index.js";

/** Compensation gets a fresh deadline of its own: the apply may be stopping. */
export const COMPENSATION_TIMEOUT_MS = 30_000;

/**
 * Deletes a resource this apply created but cannot keep (its output was refused or
 * state could not record it), by provider ID and then by name. Resolves undefined
 * once it is gone (not-found counts), else with why it could not be deleted.
 */
export async function deleteCreated(
  driver: ResourceDriver,
  resource: Pick<ResourceRef, "name" | "type">,
  providerId: string,
): Promise<string | undefined> {
  const ids = providerId === "" ? [""] : [providerId, ""];
  const failures: string[] = [];
  let gone = true;
  for (const id of ids) {
    try {
      await driver.delete(
        { name: resource.name, type: resource.type, provider_id: id },
        { signal: AbortSignal.timeout(COMPENSATION_TIMEOUT_MS) },
      );
      return undefined;
    } catch (err) {
      if (!errorIs(err, ErrResourceNotFound)) gone = false;
      failures.push(`${id === "" ? "by name" : `by ID "${id}"`}: ${toError(err).message}`);
    }
  }
  return gone ? undefined : failures.join("; ");
}
