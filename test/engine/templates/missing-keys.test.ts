import { describe, expect, it } from "vitest";
import { compileTemplate, TemplateError } from "../../../src/engine/templates/index.js";
import { data, errorOf, render, renderWithMissing, site } from "./support.js";

describe("missing keys", () => {
  it("non-strict: a whole value renders null and onMissing gets the path as written", () => {
    expect(renderWithMissing("{{ .steps.parse.body.id }}")).toEqual({
      value: null,
      missing: [".steps.parse.body.id"],
    });
  });

  it("non-strict: text renders the missing part empty (never <no value>)", () => {
    expect(renderWithMissing("id=[{{ .steps.parse-body.body.nope }}]")).toEqual({
      value: "id=[]",
      missing: [".steps.parse-body.body.nope"],
    });
  });

  it("non-strict: without onMissing it still renders", () => {
    expect(render("{{ .nope }}")).toBeNull();
  });

  it("non-strict: missing inside a function call yields undefined to the function", () => {
    expect(renderWithMissing("{{ upper .nope }}")).toEqual({ value: "", missing: [".nope"] });
    expect(renderWithMissing("{{ length .nope.list }}")).toEqual({
      value: 0,
      missing: [".nope.list"],
    });
  });

  it("a present null is not missing", () => {
    expect(renderWithMissing("{{ .steps.lookup.row.note }}")).toEqual({ value: null, missing: [] });
    const strict = compileTemplate("{{ .steps.lookup.row.note }}", site);
    expect(strict.render(data, { strict: true })).toBeNull();
  });

  it("strict: throws a TemplateError naming the path, and says where the path broke", () => {
    const err = errorOf("{{ .steps.parse.body.id }}", { strict: true });
    expect(TemplateError.is(err)).toBe(true);
    const te = err as TemplateError;
    expect(te.kind).toBe("missing");
    expect(te.path).toBe(".steps.parse.body.id");
    expect(te.message).toBe(
      'pipeline "orders" step "save" config.message: template error at column 4: .steps.parse.body.id is missing (no .steps.parse)',
    );
    expect(errorOf("{{ .name.first }}", { strict: true }).message).toContain(
      ".name.first is missing (.name is a string)",
    );
    expect(errorOf("x {{ .steps.lookup.row.nope }}", { strict: true }).message).toContain(
      "column 6: .steps.lookup.row.nope is missing",
    );
  });

  it("strict: index names the path with its keys", () => {
    const err = errorOf('{{ index .steps "parse-body" "body" "nope" }}', { strict: true });
    expect((err as TemplateError).path).toBe(".steps.parse-body.body.nope");
    expect(renderWithMissing('{{ index .steps "a b" }}').missing).toEqual(['.steps["a b"]']);
    expect(renderWithMissing("{{ index .items 9 }}").missing).toEqual([".items.9"]);
  });

  it("default and coalesce take missing arguments silently, even in strict mode", () => {
    const strict = { strict: true } as const;
    expect(render('{{ default "anon" .user.name }}', data, strict)).toBe("anon");
    expect(render('{{ .user.name | default "anon" }}', data, strict)).toBe("anon");
    expect(render('{{ default "x" (index .steps "nope" "a") }}', data, strict)).toBe("x");
    expect(render("{{ coalesce .a .b .name }}", data, strict)).toBe("Ada");
    expect(renderWithMissing('{{ default "anon" .user }}')).toEqual({ value: "anon", missing: [] });
    // Only their direct arguments: a missing key deeper in an argument still counts.
    expect(renderWithMissing('{{ default "x" (upper .nope) }}')).toEqual({
      value: "x",
      missing: [".nope"],
    });
  });

  it("a missing value is reported once, where it went missing", () => {
    expect(renderWithMissing('{{ (index .steps "nope").body.id }}').missing).toEqual([
      ".steps.nope",
    ]);
  });
});
