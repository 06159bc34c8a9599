import {
  type ProviderIDFormat,
  providerIDFormatString,
  type ResourceOutput,
  type ResourceRef,
  type ResourceSpec,
  validateProviderID,
} from "../../contracts/index.js";

/**
 * Checks at the driver boundary. An ID going in that does not match the driver's
 * declared format only earns a warning (the driver still runs: state may predate the
 * declaration); anything coming out that would corrupt state is refused.
 */

/** A warning for a malformed provider ID in `ref`, or undefined when it looks right. */
export function inputIdWarning(ref: ResourceRef, format: ProviderIDFormat): string | undefined {
  const id = ref.provider_id ?? "";
  if (id === "" || validateProviderID(id, format)) return undefined;
  return `resource "${ref.name}": provider ID "${id}" in state is not a ${providerIDFormatString(format)} ID, the format driver "${ref.type}" declares; calling the driver anyway`;
}

/** A driver output that must not reach state. */
export class OutputRejected extends Error {
  override readonly name = "OutputRejected";
}

/**
 * The driver's output for `spec`, with a missing name or type filled in. Throws
 * {@link OutputRejected} when there is no output, when it describes another
 * resource, or when its provider ID does not match the driver's declared format.
 */
export function checkOutput(
  out: ResourceOutput | undefined,
  spec: ResourceSpec,
  op: string,
  format: ProviderIDFormat,
): ResourceOutput {
  if (out === undefined || out === null || typeof out !== "object") {
    throw new OutputRejected(
      `driver "${spec.type}" returned no output from ${op} of resource "${spec.name}" — state not persisted`,
    );
  }
  const output: ResourceOutput = {
    ...out,
    name: out.name || spec.name,
    type: out.type || spec.type,
    provider_id: out.provider_id ?? "",
    outputs: out.outputs ?? {},
  };
  if (output.name !== spec.name || output.type !== spec.type) {
    throw new OutputRejected(
      `driver "${spec.type}" returned output for ${output.type} "${output.name}" from ${op} of resource "${spec.name}" — state not persisted`,
    );
  }
  if (!validateProviderID(output.provider_id, format)) {
    throw new OutputRejected(
      `driver "${spec.type}" returned malformed ProviderID "${output.provider_id}" for resource "${spec.name}" — state not persisted`,
    );
  }
  return output;
}
