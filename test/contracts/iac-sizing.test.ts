import { describe, expect, it } from "vitest";
import {
  ErrValidation,
  errorIs,
  isSize,
  resolveSizing,
  SizeL,
  SizeM,
  SizeS,
  SizeXL,
  SizeXS,
  SizingMap,
  sizes,
} from "../../src/contracts/index.js";

describe("sizes", () => {
  it("are xs..xl", () => {
    expect([SizeXS, SizeS, SizeM, SizeL, SizeXL]).toEqual(["xs", "s", "m", "l", "xl"]);
    expect([...sizes]).toEqual(["xs", "s", "m", "l", "xl"]);
    expect(isSize("m")).toBe(true);
    expect(isSize("M")).toBe(false);
    expect(isSize("xxl")).toBe(false);
    expect(isSize(undefined)).toBe(false);
  });
});

describe("SizingMap", () => {
  it("is the seed's table", () => {
    expect(SizingMap).toEqual({
      xs: { cpu: "0.25", memory: "512Mi", db_storage: "10Gi", cache_memory: "256Mi" },
      s: { cpu: "1", memory: "2Gi", db_storage: "50Gi", cache_memory: "1Gi" },
      m: { cpu: "2", memory: "4Gi", db_storage: "100Gi", cache_memory: "4Gi" },
      l: { cpu: "4", memory: "16Gi", db_storage: "500Gi", cache_memory: "16Gi" },
      xl: { cpu: "8", memory: "32Gi", db_storage: "1Ti", cache_memory: "64Gi" },
    });
  });

  it("cannot be mutated", () => {
    expect(Object.isFrozen(SizingMap)).toBe(true);
    expect(Object.isFrozen(SizingMap.m)).toBe(true);
  });
});

describe("resolveSizing", () => {
  it("returns a fresh copy of the tier's defaults", () => {
    const r = resolveSizing("s");
    expect(r).toEqual(SizingMap.s);
    r.cpu = "99";
    expect(SizingMap.s.cpu).toBe("1");
  });

  it("applies non-empty hints: cpu, memory, and storage onto db_storage", () => {
    expect(resolveSizing("m", { cpu: "3", memory: "6Gi", storage: "200Gi" })).toEqual({
      cpu: "3",
      memory: "6Gi",
      db_storage: "200Gi",
      cache_memory: "4Gi",
    });
    expect(resolveSizing("xs", { cpu: "", memory: "" })).toEqual(SizingMap.xs);
    expect(resolveSizing("l", { storage: "1Ti" }).db_storage).toBe("1Ti");
  });

  it("rejects an unknown tier with upstream's message", () => {
    expect(() => resolveSizing("q")).toThrow('unknown size tier "q"');
    try {
      resolveSizing("XL");
    } catch (err) {
      expect((err as Error).message).toBe('unknown size tier "XL"');
      expect(errorIs(err, ErrValidation)).toBe(true);
    }
    expect.assertions(3);
  });
});
