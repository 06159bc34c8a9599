import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import {
  ErrValidation,
  errorIs,
  type Selector,
  type TenantRequest,
  TenantSlugMaxLength,
  type TenantSpec,
  validateTenantSpec,
} from "../../src/contracts/index.js";

function thrown(spec: TenantSpec): Error {
  try {
    validateTenantSpec(spec);
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected a throw");
}

describe("validateTenantSpec", () => {
  it("accepts a name with a lower-case, URL-safe slug", () => {
    for (const slug of ["acme", "acme-corp", "a", "a1", "42", "x".repeat(TenantSlugMaxLength)]) {
      expect(() => validateTenantSpec({ name: "Acme", slug })).not.toThrow();
    }
  });

  it("requires a (trimmed) name first", () => {
    for (const name of ["", "   "]) {
      const err = thrown({ name, slug: "Bad Slug" });
      expect(err.message).toBe("tenant name is required: iac: validation error");
      expect(errorIs(err, ErrValidation)).toBe(true);
    }
  });

  it("requires a slug", () => {
    expect(thrown({ name: "Acme", slug: "" }).message).toBe(
      "tenant slug is required: iac: validation error",
    );
    expect(thrown({ name: "Acme", slug: " " }).message).toBe(
      "tenant slug is required: iac: validation error",
    );
  });

  it("rejects a slug that is not lower-case, naming it", () => {
    const err = thrown({ name: "Acme", slug: "Acme" });
    expect(err.message).toBe('tenant slug "Acme" must be lower-case: iac: validation error');
    expect(errorIs(err, ErrValidation)).toBe(true);
  });

  it("rejects characters that are not URL-safe and edge hyphens", () => {
    for (const slug of [
      "acme corp",
      "acme_corp",
      "acme.corp",
      "acme/x",
      "-acme",
      "acme-",
      "café",
    ]) {
      const err = thrown({ name: "Acme", slug });
      expect(err.message, slug).toContain(`tenant slug ${JSON.stringify(slug)} may contain only`);
      expect(errorIs(err, ErrValidation)).toBe(true);
    }
  });

  it("rejects slugs longer than a DNS label", () => {
    const slug = "x".repeat(TenantSlugMaxLength + 1);
    expect(thrown({ name: "Acme", slug }).message).toBe(
      `tenant slug "${slug}" is longer than 63 characters: iac: validation error`,
    );
  });
});

describe("TenantRequest", () => {
  it("accepts node's IncomingMessage and plain objects", async () => {
    const fromNode = (req: IncomingMessage): TenantRequest => req;
    expect(typeof fromNode).toBe("function");
    const header: Selector = {
      match: async (req) => {
        const v = req.headers["x-tenant"];
        return typeof v === "string" ? { key: v, matched: true } : { key: "", matched: false };
      },
    };
    expect(await header.match({ headers: { "x-tenant": "acme" } })).toEqual({
      key: "acme",
      matched: true,
    });
    expect(await header.match({ method: "GET", url: "/", headers: {} })).toEqual({
      key: "",
      matched: false,
    });
  });
});
