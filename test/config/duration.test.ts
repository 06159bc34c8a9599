import { describe, expect, it } from "vitest";
import { parseDuration } from "../../src/config/index.js";

describe("parseDuration", () => {
  it.each([
    ["500ms", 500],
    ["5s", 5_000],
    ["1m30s", 90_000],
    ["2h", 7_200_000],
    ["1h2m3s4ms", 3_723_004],
    ["1.5s", 1_500],
    ["7d", 604_800_000],
    ["0", 0],
  ])("reads %s as %d ms", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(["", "5", "5 s", "s", "-5s", "5sec", "1m 30s", "2x", "ms"])("rejects %j", (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});
