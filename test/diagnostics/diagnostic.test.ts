import { describe, expect, it } from "vitest";
import {
  formatDiagnostic,
  hasErrors,
  sortDiagnostics,
  type UserDiagnostic,
  WfError,
} from "../../src/diagnostics/index.js";

const at = (file: string, line: number, col: number) => ({ file, line, col });

describe("formatDiagnostic", () => {
  it("prints FILE:LINE:COL: message for errors and marks warnings", () => {
    expect(
      formatDiagnostic({
        severity: "error",
        code: "WF_ERR_CONFIG_SCHEMA",
        message: "bad",
        source: at("a.yaml", 3, 7),
      }),
    ).toBe("a.yaml:3:7: bad");
    expect(
      formatDiagnostic({
        severity: "warning",
        code: "WF_ERR_CONFIG_SCHEMA",
        message: "hm",
        source: at("a.yaml", 1, 1),
      }),
    ).toBe("a.yaml:1:1: warning: hm");
    expect(
      formatDiagnostic({ severity: "error", code: "WF_ERR_CONFIG_NOT_FOUND", message: "no file" }),
    ).toBe("no file");
  });
});

describe("sortDiagnostics", () => {
  it("puts errors first, then orders by file, line and column", () => {
    const d = (
      severity: "error" | "warning",
      file: string,
      line: number,
      col: number,
    ): UserDiagnostic => ({
      severity,
      code: "WF_ERR_CONFIG_SCHEMA",
      message: `${file}${line}${col}`,
      source: at(file, line, col),
    });
    const sorted = sortDiagnostics([
      d("warning", "a", 1, 1),
      d("error", "b", 2, 1),
      d("error", "a", 9, 1),
      d("error", "a", 2, 5),
    ]);
    expect(sorted.map((x) => x.message)).toEqual(["a25", "a91", "b21", "a11"]);
    expect(hasErrors(sorted)).toBe(true);
    expect(hasErrors([d("warning", "a", 1, 1)])).toBe(false);
  });
});

describe("WfError", () => {
  it("is recognised by brand and carries the catalog's fix", () => {
    const err = new WfError("WF_ERR_CONFIG_NOT_FOUND", "no config", { cause: new Error("ENOENT") });
    expect(WfError.is(err)).toBe(true);
    expect(WfError.is(new Error("x"))).toBe(false);
    expect(WfError.is({ code: "WF_ERR_USAGE" })).toBe(false);
    expect(err.fix).toContain("-c FILE");
    expect((err.cause as Error).message).toBe("ENOENT");
  });
});
