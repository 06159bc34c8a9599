import { describe, expect, it } from "vitest";
import { compileTemplate, compileValue } from "../../../src/engine/templates/index.js";
import { data, render, site } from "./support.js";

describe("template grammar", () => {
  it("leaves strings without actions alone (and not dynamic)", () => {
    const compiled = compileTemplate("plain text } {", site);
    expect(compiled.dynamic).toBe(false);
    expect(compiled.render({}, { strict: true })).toBe("plain text } {");
  });

  it("treats ${ as plain text, also right before an action", () => {
    expect(compileTemplate("cost ${total}", site).dynamic).toBe(false);
    expect(render("${{ .count }}")).toBe("$3");
    expect(render("${ .count } {{ .count }}")).toBe("${ .count } 3");
  });

  it("reads field paths, the root and hyphenated segments", () => {
    expect(render("{{ .name }}")).toBe("Ada");
    expect(render("{{.name}}")).toBe("Ada");
    expect(render("{{ .steps.lookup.row.status }}")).toBe("open");
    expect(render("{{ .steps.parse-body.body.id }}")).toBe(42);
    expect(render("{{ .items.1 }}")).toBe(20);
    expect(render("{{ . }}", { a: 1 })).toEqual({ a: 1 });
  });

  it("indexes with index: dynamic keys, list positions, several keys at once", () => {
    expect(render('{{ index .steps "parse-body" "body" "tags" 1 }}')).toBe("b");
    expect(render("{{ index .items 2 }}")).toBe(30);
    expect(render("{{ index .steps .which }}", { steps: { a: 1 }, which: "a" })).toBe(1);
    expect(render("{{ index .meta }}")).toEqual({ pipeline: "orders" });
  });

  it("reads fields of a parenthesized value", () => {
    expect(render('{{ (index .steps "parse-body").body.customer.name }}')).toBe("ada lovelace");
  });

  it("parses literals: strings with escapes, raw strings, numbers, booleans, nil/null", () => {
    expect(render('{{ "a\\"b\\n\\t\\\\ \\u00e9\\x41" }}')).toBe('a"b\n\t\\ éA');
    expect(render('{{ `raw \\n {{ }} "q"` }}')).toBe('raw \\n {{ }} "q"');
    expect(render('{{ "}}" }}')).toBe("}}");
    expect(render("{{ 12 }}")).toBe(12);
    expect(render("{{ -3 }}")).toBe(-3);
    expect(render("{{ +4 }}")).toBe(4);
    expect(render("{{ 1.5 }}")).toBe(1.5);
    expect(render("{{ 2e3 }}")).toBe(2000);
    expect(render("{{ .5 }}")).toBe(0.5);
    expect(render("{{ 0x1F }}")).toBe(31);
    expect(render("{{ true }}")).toBe(true);
    expect(render("{{ false }}")).toBe(false);
    expect(render("{{ nil }}")).toBeNull();
    expect(render("{{ null }}")).toBeNull();
  });

  it("calls functions and pipes the value in as the LAST argument (Go order)", () => {
    expect(render("{{ upper .name }}")).toBe("ADA");
    expect(render("{{ .name | upper }}")).toBe("ADA");
    expect(render('{{ .name | trimPrefix "A" }}')).toBe("da");
    expect(render('{{ "a-b" | replace "-" "+" }}')).toBe("a+b");
    expect(render('{{ .steps.parse-body.body.customer.name | title | replace " " "_" }}')).toBe(
      "Ada_Lovelace",
    );
    expect(render("{{ .count | add 1 | mul 2 }}")).toBe(8);
  });

  it("nests calls in parentheses and takes functions without arguments as operands", () => {
    expect(render("{{ add (mul 2 3) (sub 10 4) }}")).toBe(12);
    expect(render('{{ upper (default "x" .nothing) }}')).toBe("X");
    expect(render("{{ (.name) }}")).toBe("Ada");
    expect(render("{{ length uuid }}")).toBe(36);
  });

  it("renders exactly one action to the typed value", () => {
    expect(render("{{ .count }}")).toBe(3);
    expect(render("{{ .steps.lookup.found }}")).toBe(true);
    expect(render("{{ .steps.lookup.row.note }}")).toBeNull();
    expect(render("{{ .items }}")).toEqual([10, 20, 30]);
    expect(render("{{ .steps.lookup.row }}")).toEqual({ id: 7, status: "open", note: null });
    expect(render("  {{ .count }}")).toBe("  3");
  });

  it("interpolates text: objects and lists as JSON, null as empty, never <no value>", () => {
    expect(render("n={{ .count }} ok={{ .steps.lookup.found }}")).toBe("n=3 ok=true");
    expect(render("row: {{ .steps.lookup.row }}")).toBe(
      'row: {"id":7,"status":"open","note":null}',
    );
    expect(render("items={{ .items }}")).toBe("items=[10,20,30]");
    expect(render("[{{ .steps.lookup.row.note }}]")).toBe("[]");
    expect(render("[{{ .nope }}]")).toBe("[]");
    expect(render("{{ .name }}{{ .count }}")).toBe("Ada3");
  });

  it("trims whitespace with {{- and -}}", () => {
    expect(render("a   {{- .name -}}   b")).toBe("aAdab");
    expect(render("a \n {{- .name }} b")).toBe("aAda b");
    expect(render("  {{- .count -}}  ")).toBe(3);
    expect(render("{{ 5 -}} x")).toBe("5x");
  });

  it("skips comments", () => {
    expect(render("a{{/* note */}}b")).toBe("ab");
    expect(render("a {{- /* note */ -}} b")).toBe("ab");
    expect(render("{{/* only */}}")).toBe("");
    expect(compileValue({ a: "x{{/* note */}}" }, site).render(data, { strict: true })).toEqual({
      a: "x",
    });
  });

  it("reports a compiled value as dynamic and renders it again with new data", () => {
    const compiled = compileTemplate("hi {{ .name }}", site);
    expect(compiled.dynamic).toBe(true);
    expect(compiled.render(data, { strict: true })).toBe("hi Ada");
    expect(compiled.render({ name: "Bob" }, { strict: true })).toBe("hi Bob");
  });
});
