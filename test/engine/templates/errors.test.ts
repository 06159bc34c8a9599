import { describe, expect, it } from "vitest";
import { compileTemplate, TemplateError } from "../../../src/engine/templates/index.js";
import { site } from "./support.js";

function syntaxError(text: string): TemplateError {
  try {
    compileTemplate(text, site);
  } catch (err) {
    if (TemplateError.is(err)) return err;
    throw err;
  }
  throw new Error(`expected ${JSON.stringify(text)} not to compile`);
}

const label = 'pipeline "orders" step "save" config.message';

describe("template syntax errors (at compile time)", () => {
  it("names the label, the column and the problem", () => {
    const err = syntaxError("hello {{ .name");
    expect(err).toBeInstanceOf(Error);
    expect(err.kind).toBe("syntax");
    expect(err.site).toBe(site);
    expect(err.column).toBe(7);
    expect(err.line).toBe(1);
    expect(err.message).toBe(
      `${label}: template error at column 7: unclosed action (missing "}}")`,
    );
  });

  it("suggests the nearest function for an unknown one", () => {
    const err = syntaxError("{{ .name | uper }}");
    expect(err.column).toBe(12);
    expect(err.detail).toBe('unknown function "uper" (did you mean "upper"?)');
    expect(syntaxError("{{ trimprefix 1 2 }}").detail).toBe(
      'unknown function "trimprefix" (did you mean "trimPrefix"?)',
    );
    expect(syntaxError("{{ frobnicate }}").detail).toBe('unknown function "frobnicate"');
  });

  it.each([
    ['{{ "abc }}', 4, 'unterminated string (missing closing ")'],
    ["{{ `abc }}", 4, "unterminated raw string (missing closing `)"],
    ['{{ "a\\qb" }}', 6, 'bad escape "\\\\q" in string'],
    ["{{ 12ab }}", 4, 'bad number literal "12ab"'],
    ["{{ 1.2.3 }}", 4, 'bad number literal "1.2.3"'],
    ["{{ }}", 1, "empty action"],
    ["{{ .a. }}", 6, 'bad field name after ".a."'],
    ["{{ .a .b }}", 7, '".a" is not a function, so it takes no arguments'],
    ['{{ "x" | .b }}', 10, 'cannot pipe into ".b": only a function can follow "|"'],
    ["{{ .a | }}", 7, 'missing function after "|"'],
    ["{{ | upper }}", 4, "missing value"],
    ["{{ (upper .a }}", 4, 'unclosed parenthesis (missing ")")'],
    ["{{ .a ) }}", 7, 'unexpected ")"'],
    ['{{ upper "a""b" }}', 13, 'missing space before "\\"b\\""'],
    ["{{ $x }}", 4, "variables ($name) are not supported"],
    ["{{ 'a' }}", 4, 'single-quoted literals are not supported; use "…" or `…`'],
    ["{{ .a = 1 }}", 7, "assignments are not supported"],
    ["{{ .a ; }}", 7, 'unexpected ";" in action'],
    ["{{ upper }}", 4, "upper takes 1 argument, got 0"],
    ['{{ "a" | replace "x" }}', 10, "replace takes 3 arguments, got 2"],
    ["{{ now 1 2 }}", 4, "now takes 0 to 1 arguments, got 2"],
    ["{{ eq 1 }}", 4, "eq takes at least 2 arguments, got 1"],
    ["{{/* never closed }}", 1, "unclosed comment (missing */)"],
    ["{{ /* late */ }}", 4, 'unexpected "/" in action'],
  ])("%s → column %i: %s", (text, column, detail) => {
    const err = syntaxError(text);
    expect({ column: err.column, detail: err.detail }).toEqual({ column, detail });
  });

  it("explains that control actions are not part of the subset", () => {
    expect(syntaxError("{{ if .a }}x{{ end }}").detail).toBe(
      '"if" actions are not supported: a template is one expression (use eq, and, or, not, default)',
    );
    expect(syntaxError("{{ range .items }}").detail).toContain('"range" actions are not supported');
  });

  it("counts lines inside a multi-line string", () => {
    const err = syntaxError("first line\nsecond {{ .a | lowr }}");
    expect({ line: err.line, column: err.column }).toEqual({ line: 2, column: 16 });
    expect(err.message).toBe(
      `${label}: template error at line 2, column 16: unknown function "lowr" (did you mean "lower"?)`,
    );
  });

  it("keeps the site's position for the CLI to point at FILE:LINE:COL", () => {
    const positioned = { label: "x", position: { file: "wfctl.yaml", line: 12, col: 18 } };
    try {
      compileTemplate("{{ .a", positioned);
      expect.unreachable();
    } catch (err) {
      expect((err as TemplateError).site.position).toEqual(positioned.position);
    }
  });

  it("render errors carry the column of the failing expression", () => {
    const compiled = compileTemplate("n={{ div .count 0 }}", site);
    try {
      compiled.render({ count: 1 }, { strict: false });
      expect.unreachable();
    } catch (err) {
      expect(TemplateError.is(err)).toBe(true);
      expect((err as TemplateError).kind).toBe("eval");
      expect((err as TemplateError).column).toBe(6);
    }
  });
});
