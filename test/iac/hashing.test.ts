import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { configHash, desiredHash, inputFingerprint, inputSnapshot } from "../../src/iac/hashing.js";

const sha = (s: string) => createHash("sha256").update(s).digest("hex");

describe("configHash", () => {
  it("is empty for an empty config", () => {
    expect(configHash({})).toBe("");
  });

  it("hashes sorted [{K,V}] pairs, so key order does not matter at any depth", () => {
    expect(configHash({ b: 1, a: { y: 2, x: 1 } })).toBe(
      sha('[{"K":"a","V":{"x":1,"y":2}},{"K":"b","V":1}]'),
    );
    expect(configHash({ a: { x: 1, y: 2 }, b: 1 })).toBe(configHash({ b: 1, a: { y: 2, x: 1 } }));
    expect(configHash({ a: 1 })).not.toBe(configHash({ a: 2 }));
  });
});

describe("desiredHash", () => {
  it("hashes specs sorted by name, and [] when there are none", () => {
    expect(desiredHash([])).toBe(sha("[]"));
    const a = { name: "a", type: "infra.vpc", config: { r: 1 } };
    const b = { name: "b", type: "infra.vpc", config: {} };
    expect(desiredHash([b, a])).toBe(desiredHash([a, b]));
    expect(desiredHash([a])).not.toBe(desiredHash([a, b]));
  });
});

describe("input snapshot", () => {
  it("fingerprints set variables with a 16-hex sha256 prefix and leaves unset ones out", () => {
    expect(inputFingerprint("secret")).toBe(sha("secret").slice(0, 16));
    expect(inputSnapshot(["B", "A", "UNSET", "A"], { A: "1", B: "" })).toEqual({
      A: sha("1").slice(0, 16),
      B: sha("").slice(0, 16),
    });
  });
});
