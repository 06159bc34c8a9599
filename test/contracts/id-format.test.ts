import { describe, expect, it } from "vitest";
import {
  IDFormatARN,
  IDFormatDomainName,
  IDFormatFreeform,
  IDFormatUnknown,
  IDFormatUUID,
  isProviderIDValidator,
  ProviderIDFormat,
  parseProviderIDFormat,
  providerIDFormatNames,
  providerIDFormatString,
  validateProviderID,
} from "../../src/contracts/index.js";

const label = (n: number, c = "a") => c.repeat(n);

describe("ProviderIDFormat", () => {
  it("is 0-4 with stable names", () => {
    expect([
      IDFormatUnknown,
      IDFormatUUID,
      IDFormatDomainName,
      IDFormatARN,
      IDFormatFreeform,
    ]).toEqual([0, 1, 2, 3, 4]);
    expect([0, 1, 2, 3, 4].map(providerIDFormatString)).toEqual([
      "unknown",
      "uuid",
      "domain_name",
      "arn",
      "freeform",
    ]);
    expect([...providerIDFormatNames]).toHaveLength(5);
  });

  it("stringifies unrecognised values as unknown", () => {
    expect(providerIDFormatString(99)).toBe("unknown");
    expect(providerIDFormatString(-1)).toBe("unknown");
    expect(providerIDFormatString(1.5)).toBe("unknown");
  });

  it("parses names, mapping unrecognised ones to Unknown (forward compat)", () => {
    for (const name of providerIDFormatNames) {
      expect(providerIDFormatString(parseProviderIDFormat(name))).toBe(name);
    }
    expect(parseProviderIDFormat("ulid")).toBe(ProviderIDFormat.Unknown);
    expect(parseProviderIDFormat("UUID")).toBe(ProviderIDFormat.Unknown);
  });
});

describe("validateProviderID: UUID", () => {
  const v = (s: string) => validateProviderID(s, IDFormatUUID);

  it("accepts canonical UUIDs in any case", () => {
    expect(v("123e4567-e89b-12d3-a456-426614174000")).toBe(true);
    expect(v("123E4567-E89B-12D3-A456-426614174000")).toBe(true);
    expect(v("aBcDeF01-2345-6789-abCD-ef0123456789")).toBe(true);
    expect(v("00000000-0000-0000-0000-000000000000")).toBe(true);
  });

  it("rejects wrong length, misplaced hyphens and non-hex", () => {
    expect(v("")).toBe(false);
    expect(v("123e4567-e89b-12d3-a456-42661417400")).toBe(false);
    expect(v("123e4567-e89b-12d3-a456-4266141740000")).toBe(false);
    expect(v("123e4567e89b-12d3-a456-426614174000-")).toBe(false);
    expect(v("123e4567-e89b-12d3-a456_426614174000")).toBe(false);
    expect(v("123e4567-e89b-12d3-a456-42661417400g")).toBe(false);
    expect(v("123e4567ae89ba12d3aa456a426614174000")).toBe(false);
    expect(v("{23e4567-e89b-12d3-a456-426614174000")).toBe(false);
    expect(v("123e4567-e89b-12d3-a456-42661417400é")).toBe(false);
  });
});

describe("validateProviderID: DomainName", () => {
  const v = (s: string) => validateProviderID(s, IDFormatDomainName);

  it("accepts names, single labels and one trailing dot", () => {
    expect(v("example.com")).toBe(true);
    expect(v("Sub-1.Example.COM")).toBe(true);
    expect(v("localhost")).toBe(true);
    expect(v("example.com.")).toBe(true);
    expect(v("a.b.c.d.e")).toBe(true);
    expect(v("123.456")).toBe(true);
  });

  it("rejects empty names and empty labels", () => {
    expect(v("")).toBe(false);
    expect(v(".")).toBe(false);
    expect(v("example..com")).toBe(false);
    expect(v("example.com..")).toBe(false);
    expect(v(".example.com")).toBe(false);
  });

  it("limits labels to 1-63 characters without edge hyphens", () => {
    expect(v(`${label(63)}.com`)).toBe(true);
    expect(v(`${label(64)}.com`)).toBe(false);
    expect(v("-abc.com")).toBe(false);
    expect(v("abc-.com")).toBe(false);
    expect(v("a-b.com")).toBe(true);
    expect(v("a--b.com")).toBe(true);
    expect(v("under_score.com")).toBe(false);
    expect(v("sp ace.com")).toBe(false);
    expect(v("bücher.de")).toBe(false);
  });

  it("limits the name to 253 characters, not counting one trailing dot", () => {
    // Three 63-character labels + one of 61 + three dots = 253.
    const name253 = [label(63), label(63), label(63), label(61)].join(".");
    expect(name253).toHaveLength(253);
    expect(v(name253)).toBe(true);
    expect(v(`${name253}.`)).toBe(true);
    const name254 = [label(63), label(63), label(63), label(62)].join(".");
    expect(name254).toHaveLength(254);
    expect(v(name254)).toBe(false);
  });
});

describe("validateProviderID: ARN", () => {
  const v = (s: string) => validateProviderID(s, IDFormatARN);

  it("accepts six parts with empty region/account and colons in the resource", () => {
    expect(v("arn:aws:s3:::my-bucket")).toBe(true);
    expect(v("arn:aws:iam::123456789012:user/alice")).toBe(true);
    expect(v("arn:aws:ec2:us-east-1:123456789012:instance/i-0abc")).toBe(true);
    expect(v("arn:aws:logs:us-east-1:123456789012:log-group:/app:*")).toBe(true);
    expect(v("arn:aws-cn:sns:cn-north-1:1:topic")).toBe(true);
    expect(v("arn:aws:s3:::")).toBe(true);
  });

  it("rejects a wrong prefix, too few parts, or empty partition/service", () => {
    expect(v("")).toBe(false);
    expect(v("ARN:aws:s3:::bucket")).toBe(false);
    expect(v("urn:aws:s3:::bucket")).toBe(false);
    expect(v("arn:aws:s3::bucket")).toBe(false);
    expect(v("arn:aws:s3")).toBe(false);
    expect(v("arn::s3:::bucket")).toBe(false);
    expect(v("arn:aws::::bucket")).toBe(false);
  });
});

describe("validateProviderID: Freeform and Unknown", () => {
  it("Freeform needs a non-empty string", () => {
    expect(validateProviderID("anything at all", IDFormatFreeform)).toBe(true);
    expect(validateProviderID(" ", IDFormatFreeform)).toBe(true);
    expect(validateProviderID("", IDFormatFreeform)).toBe(false);
  });

  it("Unknown and unrecognised formats always pass", () => {
    expect(validateProviderID("", IDFormatUnknown)).toBe(true);
    expect(validateProviderID("not-a-uuid", IDFormatUnknown)).toBe(true);
    expect(validateProviderID("", 42)).toBe(true);
    expect(validateProviderID("", -1)).toBe(true);
  });
});

describe("isProviderIDValidator", () => {
  it("checks for the method", () => {
    expect(isProviderIDValidator({ providerIDFormat: async () => IDFormatUUID })).toBe(true);
    expect(isProviderIDValidator({ providerIDFormat: IDFormatUUID })).toBe(false);
    expect(isProviderIDValidator(null)).toBe(false);
  });
});
