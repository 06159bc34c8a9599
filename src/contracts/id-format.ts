import { hasMethods } from "./guards.js";

/**
 * Shapes of provider resource IDs, so wfctl can check them at the driver boundary
 * without knowing provider semantics. Unknown (the zero value) disables checking.
 */
export const ProviderIDFormat = Object.freeze({
  Unknown: 0,
  /** 36-character hyphenated UUID. */
  UUID: 1,
  /** RFC 1035 domain name. */
  DomainName: 2,
  /** AWS-style colon-separated ARN. */
  ARN: 3,
  /** Any non-empty string. */
  Freeform: 4,
} as const);
export type ProviderIDFormat = (typeof ProviderIDFormat)[keyof typeof ProviderIDFormat];

// The seed's constant names.
export const IDFormatUnknown = ProviderIDFormat.Unknown;
export const IDFormatUUID = ProviderIDFormat.UUID;
export const IDFormatDomainName = ProviderIDFormat.DomainName;
export const IDFormatARN = ProviderIDFormat.ARN;
export const IDFormatFreeform = ProviderIDFormat.Freeform;

/** Stable names, indexed by format value (also the plugin wire's `provider_id_format`). */
export const providerIDFormatNames = Object.freeze([
  "unknown",
  "uuid",
  "domain_name",
  "arn",
  "freeform",
] as const);
export type ProviderIDFormatName = (typeof providerIDFormatNames)[number];

/** The seed's `ProviderIDFormat.String()`; an unrecognised value reads "unknown". */
export function providerIDFormatString(f: number): ProviderIDFormatName {
  return (Number.isInteger(f) ? providerIDFormatNames[f] : undefined) ?? "unknown";
}

/**
 * The format a name denotes. An unrecognised name gives Unknown, which disables
 * validation: a newer plugin's format must not fail an older wfctl (forward compat).
 */
export function parseProviderIDFormat(name: string): ProviderIDFormat {
  const index = (providerIDFormatNames as readonly string[]).indexOf(name);
  return index < 0 ? ProviderIDFormat.Unknown : (index as ProviderIDFormat);
}

/**
 * True when `s` is a valid ID for `format`. Unknown and unrecognised formats always
 * pass (forward compat); Freeform needs a non-empty string.
 */
export function validateProviderID(s: string, format: ProviderIDFormat | number): boolean {
  switch (format) {
    case ProviderIDFormat.UUID:
      return isUUID(s);
    case ProviderIDFormat.DomainName:
      return isDomainName(s);
    case ProviderIDFormat.ARN:
      return isARN(s);
    case ProviderIDFormat.Freeform:
      return s !== "";
    default:
      return true;
  }
}

const hyphenPositions = new Set([8, 13, 18, 23]);

// Positional rather than a regex, as upstream: 8-4-4-4-12 hex digits, any case.
function isUUID(s: string): boolean {
  if (s.length !== 36) {
    return false;
  }
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (hyphenPositions.has(i) ? c !== 0x2d : !isHexDigit(c)) {
      return false;
    }
  }
  return true;
}

function isHexDigit(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

const labelPattern = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

// One trailing dot (FQDN) is dropped; then ≤ 253 characters of labels, each 1–63
// characters of [A-Za-z0-9-] without a leading or trailing hyphen.
function isDomainName(s: string): boolean {
  if (s === "") {
    return false;
  }
  const name = s.endsWith(".") ? s.slice(0, -1) : s;
  if (name.length > 253) {
    return false;
  }
  return name.split(".").every((label) => labelPattern.test(label));
}

// arn:<partition>:<service>:<region>:<account>:<resource>; the resource may contain
// colons, region and account may be empty.
function isARN(s: string): boolean {
  if (!s.startsWith("arn:")) {
    return false;
  }
  const parts = s.split(":");
  if (parts.length < 6) {
    return false;
  }
  return parts[1] !== "" && parts[2] !== "";
}

/**
 * Optional driver interface declaring the shape of its ProviderIDs. wfctl warns on a
 * mismatching input ID (the driver still runs) and fails hard on a mismatching output
 * ID before it reaches state.
 */
export interface ProviderIDValidator {
  /** Async because a remote driver answers over the plugin wire. */
  providerIDFormat(): Promise<ProviderIDFormat>;
}

export function isProviderIDValidator(x: unknown): x is ProviderIDValidator {
  return hasMethods(x, "providerIDFormat");
}
