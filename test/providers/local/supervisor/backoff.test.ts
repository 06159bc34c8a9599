import { describe, expect, it } from "vitest";
import { Backoff } from "../../../../src/providers/local/supervisor/backoff.js";

describe("restart backoff", () => {
  it("doubles from the first delay up to the max, and starts over after a minute up", () => {
    const backoff = new Backoff({ initial_ms: 100, max_ms: 500 });
    expect([1, 2, 3, 4, 5].map(() => backoff.delayAfter(10))).toEqual([100, 200, 400, 500, 500]);
    expect(backoff.delayAfter(60_000)).toBe(100);
    expect(backoff.delayAfter(10)).toBe(200);
  });
});
