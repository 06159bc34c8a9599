import type { IaCPlan, ResourceState } from "../../contracts/index.js";
import { driverSensitiveKeys, isSensitiveKey, SENSITIVE_MASK } from "../../iac/operations/index.js";
import type { InfraSession } from "./infra-session.js";

/**
 * Which keys of which resource print as `(sensitive)`: what each resource type's
 * driver declares (SensitiveKeys), plus well-known secret names. Drivers are asked
 * once per (provider, type).
 */
export async function sensitivityOf(
  session: InfraSession,
  subject: IaCPlan | readonly ResourceState[],
): Promise<Sensitivity> {
  const entries =
    "actions" in subject
      ? subject.actions.map((a) => ({
          name: a.resource.name,
          type: a.resource.type,
          provider: a.current?.provider ?? providerOfSpec(session, a.resource.name),
        }))
      : subject.map((s) => ({ name: s.name, type: s.type, provider: s.provider }));
  const byType = new Map<string, Promise<string[]>>();
  const keysOf = new Map<string, Promise<string[]>>();
  for (const { name, type, provider } of entries) {
    const id = `${provider}\u0000${type}`;
    if (!byType.has(id)) {
      byType.set(
        id,
        provider ? driverSensitiveKeys(session.providers, provider, type) : Promise.resolve([]),
      );
    }
    keysOf.set(name, byType.get(id)!);
  }
  const resolved = new Map<string, readonly string[]>();
  for (const [name, keys] of keysOf) resolved.set(name, await keys);
  return (resource, key) => isSensitiveKey(key, resolved.get(resource) ?? []);
}

/** Which keys of which resource are sensitive (see sensitivityOf). */
export type Sensitivity = (resource: string, key: string) => boolean;

/** `values` of `resource` with every sensitive one (or one flagged in `flagged`) masked. */
export function maskValues(
  resource: string,
  values: Readonly<Record<string, unknown>>,
  sensitive: Sensitivity,
  flagged: Readonly<Record<string, boolean>> = {},
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(values).map(([k, v]) => [
      k,
      flagged[k] || sensitive(resource, k) ? SENSITIVE_MASK : v,
    ]),
  );
}

function providerOfSpec(session: InfraSession, name: string): string | undefined {
  return session.infra.resources.find((r) => r.spec.name === name)?.provider;
}
