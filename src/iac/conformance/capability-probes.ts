import {
  type IaCProvider,
  isDriftConfigDetector,
  isEnumerator,
  isProviderIDValidator,
  isProviderValidator,
  isResourceAdoptionLocator,
  isResourceReplacer,
  isTroubleshooter,
  isUpsertSupporter,
  ProviderIDFormat,
  type ResourceDriver,
} from "../../contracts/index.js";
import { isProviderFinalizer } from "../provider-finalizer.js";
import type { ConformanceCapability } from "./conformance-types.js";

/**
 * Whether the provider under test has an optional capability, the way the engine
 * decides it: the type guard, and for answers the driver gives at run time (upsert,
 * ID format) the answer itself. An error answer counts as "does not have it".
 */

interface Probe {
  /** How skip reasons name the capability. */
  readonly label: string;
  readonly provider?: (provider: IaCProvider) => boolean;
  readonly driver?: (driver: ResourceDriver) => Promise<boolean>;
}

const probes: Readonly<Record<ConformanceCapability, Probe>> = {
  adoption: {
    label: "ResourceAdoptionLocator (adoptionRef)",
    driver: async (d) => isResourceAdoptionLocator(d),
  },
  upsert: {
    label: "UpsertSupporter (supportsUpsert() answering true)",
    driver: async (d) =>
      isUpsertSupporter(d) && (await d.supportsUpsert().catch(() => false)) === true,
  },
  replacer: { label: "ResourceReplacer (replace)", driver: async (d) => isResourceReplacer(d) },
  id_format: {
    label: "ProviderIDValidator (providerIDFormat() other than unknown)",
    driver: async (d) =>
      isProviderIDValidator(d) &&
      (await d.providerIDFormat().catch(() => ProviderIDFormat.Unknown)) !==
        ProviderIDFormat.Unknown,
  },
  troubleshooter: {
    label: "Troubleshooter (troubleshoot)",
    driver: async (d) => isTroubleshooter(d),
  },
  enumerator: { label: "Enumerator (enumerateByTag)", provider: isEnumerator },
  validator: { label: "ProviderValidator (validatePlan)", provider: isProviderValidator },
  drift_config: {
    label: "DriftConfigDetector (detectDriftWithSpecs)",
    provider: isDriftConfigDetector,
  },
  finalizer: { label: "ProviderFinalizer (finalizeApply)", provider: isProviderFinalizer },
};

export function capabilityLabel(capability: ConformanceCapability): string {
  return probes[capability].label;
}

export function isDriverCapability(capability: ConformanceCapability): boolean {
  return probes[capability].driver !== undefined;
}

/** For a provider-level capability. */
export function providerHas(provider: IaCProvider, capability: ConformanceCapability): boolean {
  return probes[capability].provider?.(provider) ?? false;
}

/** For a driver-level capability. */
export async function driverHas(
  driver: ResourceDriver,
  capability: ConformanceCapability,
): Promise<boolean> {
  return (await probes[capability].driver?.(driver)) ?? false;
}
