import { describe, expect, it } from "vitest";
import * as wfctl from "../src/index.js";

describe("the package entry point", () => {
  it("exports the contracts, the config loader and the diagnostics together", async () => {
    expect(wfctl.canonicalKeys()).toHaveLength(32);
    expect(wfctl.ErrResourceNotFound.message).toBe("iac: resource not found");
    expect(typeof wfctl.loadConfig).toBe("function");
    expect(wfctl.createDefaultRegistry().lookup("module", "http.server")?.type).toBe("http.server");
    expect(wfctl.WfError.is(new wfctl.WfError("WF_ERR_USAGE", "x"))).toBe(true);
  });
});
