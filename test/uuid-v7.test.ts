import { describe, expect, it } from "vitest";
import { uuidV7 } from "../src/uuid-v7.js";

describe("uuidV7", () => {
  it("is an RFC 9562 version 7 UUID whose first 48 bits are the time in milliseconds", () => {
    const at = Date.parse("2026-11-28T12:34:56.789Z");
    const id = uuidV7(at);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(at);
  });

  it("sorts later ids after earlier ones and never repeats", () => {
    const ids = [uuidV7(1000), uuidV7(1001), uuidV7(2 ** 40)];
    expect([...ids].sort()).toEqual(ids);
    const many = new Set(Array.from({ length: 10_000 }, () => uuidV7(5)));
    expect(many.size).toBe(10_000);
  });
});
