import { describe, expect, it } from "vitest";
import { TEMPLATE_FUNCTIONS } from "../../../src/engine/templates/index.js";
import { errorOf, render } from "./support.js";

describe("template functions (Go argument order)", () => {
  it("uuid and uuidv4 give fresh v4 UUIDs", () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    const a = render("{{ uuid }}");
    expect(a).toMatch(uuid);
    expect(render("{{ uuidv4 }}")).toMatch(uuid);
    expect(render("{{ uuid }}")).not.toBe(a);
  });

  it("now: RFC3339 in UTC by default, Go layout names and layouts", () => {
    const before = Date.now();
    const stamp = render("{{ now }}") as string;
    expect(stamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(Date.parse(stamp)).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(render('{{ now "RFC3339" }}')).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(render('{{ now "RFC3339Nano" }}')).toMatch(
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/,
    );
    const today = new Date().toISOString().slice(0, 10);
    const dateOnly = render('{{ now "DateOnly" }}');
    expect([today, new Date().toISOString().slice(0, 10)]).toContain(dateOnly);
    expect(render('{{ now "DateTime" }}')).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(render('{{ now "Kitchen" }}')).toMatch(/^(1[0-2]|[1-9]):\d{2}(AM|PM)$/);
    expect(render('{{ now "RFC1123" }}')).toMatch(
      /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} UTC$/,
    );
    expect(render('{{ now "2006/01/02 15h" }}')).toMatch(/^\d{4}\/\d{2}\/\d{2} \d{2}h$/);
    expect(render('{{ now "Jan 2006" }}')).toMatch(/^[A-Z][a-z]{2} \d{4}$/);
  });

  it("lower, upper, title, trimSpace", () => {
    expect(render('{{ lower "MiXeD" }}')).toBe("mixed");
    expect(render('{{ upper "MiXeD" }}')).toBe("MIXED");
    expect(render('{{ title "hello  big world" }}')).toBe("Hello  Big World");
    expect(render('{{ trimSpace "  x y \\n" }}')).toBe("x y");
  });

  it("trimPrefix PREFIX S, trimSuffix SUFFIX S", () => {
    expect(render('{{ trimPrefix "v" "v1.2" }}')).toBe("1.2");
    expect(render('{{ trimPrefix "x" "v1.2" }}')).toBe("v1.2");
    expect(render('{{ trimSuffix ".json" "a.json" }}')).toBe("a");
  });

  it("replace OLD NEW S replaces every occurrence", () => {
    expect(render('{{ replace "a" "o" "banana" }}')).toBe("bonono");
  });

  it("contains SUBSTR S, hasPrefix PREFIX S, hasSuffix SUFFIX S", () => {
    expect(render('{{ contains "nan" "banana" }}')).toBe(true);
    expect(render('{{ contains "banana" "nan" }}')).toBe(false);
    expect(render('{{ contains "b" .steps.parse-body.body.tags }}')).toBe(true);
    expect(render('{{ contains "z" .steps.parse-body.body.tags }}')).toBe(false);
    expect(render('{{ hasPrefix "ba" "banana" }}')).toBe(true);
    expect(render('{{ hasPrefix "banana" "ba" }}')).toBe(false);
    expect(render('{{ hasSuffix "na" "banana" }}')).toBe(true);
  });

  it("split SEP S gives a list; join SEP LIST gives text", () => {
    expect(render('{{ split "," "a,b,,c" }}')).toEqual(["a", "b", "", "c"]);
    expect(render('{{ split "" "héllo" }}')).toEqual(["h", "é", "l", "l", "o"]);
    expect(render('{{ join "-" .items }}')).toBe("10-20-30");
    expect(render('{{ split "," "x,y" | join " + " }}')).toBe("x + y");
  });

  it("urlEncode (Go QueryEscape), b64, json", () => {
    expect(render('{{ urlEncode "a b&c=d/é~*" }}')).toBe("a+b%26c%3Dd%2F%C3%A9~%2A");
    expect(render('{{ b64 "héllo" }}')).toBe(Buffer.from("héllo").toString("base64"));
    expect(render("{{ json .steps.lookup.row }}")).toBe('{"id":7,"status":"open","note":null}');
    expect(render('{{ json "a\\"b" }}')).toBe('"a\\"b"');
    expect(render("{{ json .nothing }}")).toBe("null");
  });

  it("default FALLBACK VALUE: the fallback for missing, null and empty text only", () => {
    expect(render('{{ default "anon" .user }}')).toBe("anon");
    expect(render('{{ default "anon" .steps.lookup.row.note }}')).toBe("anon");
    expect(render('{{ default "anon" "" }}')).toBe("anon");
    expect(render('{{ default "anon" .name }}')).toBe("Ada");
    expect(render("{{ default 5 0 }}")).toBe(0);
    expect(render("{{ default 5 false }}")).toBe(false);
    expect(render('{{ .user | default "anon" }}')).toBe("anon");
  });

  it("coalesce: the first value that is not missing, null or empty", () => {
    expect(render('{{ coalesce .a .steps.lookup.row.note "" .name "z" }}')).toBe("Ada");
    expect(render("{{ coalesce .a .b }}")).toBeNull();
  });

  it("toInt, toFloat, toString", () => {
    expect(render("{{ toInt .trigger.path_params.id }}")).toBe(42);
    expect(render('{{ toInt "3.9" }}')).toBe(3);
    expect(render('{{ toInt "-3.9" }}')).toBe(-3);
    expect(render("{{ toInt true }}")).toBe(1);
    expect(render('{{ toFloat " 2.5 " }}')).toBe(2.5);
    expect(render("{{ toString 12 }}")).toBe("12");
    expect(render("{{ toString .items }}")).toBe("[10,20,30]");
    expect(render("{{ toString nil }}")).toBe("");
    expect(errorOf('{{ toInt "abc" }}').message).toContain('toInt: string "abc" is not a number');
  });

  it("length (and len) of text (characters), lists and objects", () => {
    expect(render('{{ length "héllo" }}')).toBe(5);
    expect(render("{{ length .items }}")).toBe(3);
    expect(render("{{ length .steps.lookup.row }}")).toBe(3);
    expect(render("{{ length .nothing }}")).toBe(0);
    expect(render("{{ len .items }}")).toBe(3);
  });

  it("add, sub, mul keep integers; div is a float division and fails on zero", () => {
    expect(render("{{ add 2 3 }}")).toBe(5);
    expect(render('{{ add "2" 3 }}')).toBe(5);
    expect(render("{{ add 0.1 0.2 }}")).toBeCloseTo(0.3);
    expect(render("{{ sub 2 5 }}")).toBe(-3);
    expect(render("{{ mul 4 2.5 }}")).toBe(10);
    expect(render("{{ div 7 2 }}")).toBe(3.5);
    expect(render("{{ div 6 3 }}")).toBe(2);
    const err = errorOf("{{ div 1 0 }}");
    expect(err.message).toBe(
      'pipeline "orders" step "save" config.message: template error at column 4: div: division by zero',
    );
  });

  it("eq (any of several), ne: structural, no coercion between types", () => {
    expect(render('{{ eq .trigger.path_params.id "42" }}')).toBe(true);
    expect(render("{{ eq .trigger.path_params.id 42 }}")).toBe(false);
    expect(render('{{ eq .steps.lookup.row.status "closed" "open" }}')).toBe(true);
    expect(render("{{ eq .nothing nil }}")).toBe(true);
    expect(render("{{ eq .items .items }}")).toBe(true);
    expect(render("{{ ne 1 2 }}")).toBe(true);
    expect(render("{{ ne 1 1 }}")).toBe(false);
  });

  it("lt, le, gt, ge compare numbers or texts, and refuse mixed types", () => {
    expect(render("{{ lt 1 2 }}")).toBe(true);
    expect(render("{{ le 2 2 }}")).toBe(true);
    expect(render("{{ gt 1 2 }}")).toBe(false);
    expect(render("{{ ge 2 2.5 }}")).toBe(false);
    expect(render('{{ lt "apple" "banana" }}')).toBe(true);
    expect(render("{{ gt (toInt .trigger.path_params.id) 40 }}")).toBe(true);
    expect(errorOf("{{ gt .trigger.path_params.id 40 }}").message).toContain(
      'gt: cannot compare string "42" with number 40 (convert with toInt, toFloat or toString)',
    );
  });

  it("and, or return the deciding value and short-circuit; not negates", () => {
    expect(render("{{ and 1 2 }}")).toBe(2);
    expect(render('{{ and 1 "" 2 }}')).toBe("");
    expect(render('{{ or "" .name }}')).toBe("Ada");
    expect(render("{{ or 0 false }}")).toBe(false);
    // The division by zero is never evaluated.
    expect(render("{{ and false (div 1 0) }}")).toBe(false);
    expect(render("{{ or true (div 1 0) }}")).toBe(true);
    expect(render("{{ not .steps.lookup.found }}")).toBe(false);
    expect(render('{{ not "false" }}')).toBe(true);
    expect(render('{{ and (eq .steps.lookup.row.status "open") (gt .count 2) }}')).toBe(true);
  });

  it("lists every function by name", () => {
    for (const name of [
      "uuid",
      "now",
      "lower",
      "upper",
      "title",
      "trimSpace",
      "trimPrefix",
      "trimSuffix",
      "replace",
      "contains",
      "hasPrefix",
      "hasSuffix",
      "split",
      "join",
      "urlEncode",
      "b64",
      "json",
      "default",
      "coalesce",
      "toInt",
      "toFloat",
      "toString",
      "length",
      "add",
      "sub",
      "mul",
      "div",
      "eq",
      "ne",
      "lt",
      "gt",
      "le",
      "ge",
      "and",
      "or",
      "not",
      "index",
    ]) {
      expect(TEMPLATE_FUNCTIONS).toContain(name);
    }
  });
});
