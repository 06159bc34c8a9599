import path from "node:path";
import { describe, expect, it } from "vitest";
import { findConfigFile } from "../../src/config/index.js";
import { fixture } from "./support.js";

describe("findConfigFile", () => {
  it("prefers wfctl.yaml, then infra.yaml, then config/infra.yaml", async () => {
    const all = await fixture({ "wfctl.yaml": "", "infra.yaml": "", "config/infra.yaml": "" });
    expect(findConfigFile(all)).toBe(path.join(all, "wfctl.yaml"));
    const infra = await fixture({ "infra.yaml": "", "config/infra.yaml": "" });
    expect(findConfigFile(infra)).toBe(path.join(infra, "infra.yaml"));
    const nested = await fixture({ "config/infra.yaml": "" });
    expect(findConfigFile(nested)).toBe(path.join(nested, "config", "infra.yaml"));
  });

  it("returns undefined when none exists, and ignores folders of those names", async () => {
    expect(findConfigFile(await fixture({ "other.yaml": "" }))).toBeUndefined();
    const dir = await fixture({ "wfctl.yaml/inner": "", "config/infra.yaml": "" });
    expect(findConfigFile(dir)).toBe(path.join(dir, "config", "infra.yaml"));
  });

  it("does not fail when config is a file rather than a folder", async () => {
    expect(findConfigFile(await fixture({ config: "" }))).toBeUndefined();
  });
});
