import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  compileTemplate,
  compileValue,
  TemplateError,
} from "../../../src/engine/templates/index.js";
import { data, render, renderWithMissing, site } from "./support.js";

const reserved = [".constructor", ".__proto__", ".prototype", ".toString", ".valueOf"];

describe("template security", () => {
  it.each([
    ["the root", ""],
    ["an object", ".steps.lookup.row"],
    ["a list", ".items"],
    ["a string", ".name"],
    ["a number", ".count"],
    ["a boolean", ".steps.lookup.found"],
  ])("prototype members of %s are missing", (_what, base) => {
    for (const member of reserved) {
      const expr = `${base}${member}`;
      expect(renderWithMissing(`{{ ${expr} }}`)).toEqual({ value: null, missing: [expr] });
      expect(renderWithMissing(`{{ ${expr}.name }}`).value).toBeNull();
      expect(() => render(`{{ ${expr} }}`, data, { strict: true })).toThrow(TemplateError);
    }
  });

  it("strings and lists have no properties: .length is missing (use length)", () => {
    expect(renderWithMissing("{{ .name.length }}")).toEqual({
      value: null,
      missing: [".name.length"],
    });
    expect(renderWithMissing("{{ .items.length }}")).toEqual({
      value: null,
      missing: [".items.length"],
    });
    expect(render("{{ (upper .name).length }}")).toBeNull();
    expect(render("{{ length .name }}")).toBe(3);
  });

  it("index cannot reach prototypes or string characters either", () => {
    for (const text of [
      '{{ index . "constructor" }}',
      '{{ index .steps "__proto__" }}',
      '{{ index .items "length" }}',
      '{{ index .name "length" }}',
      "{{ index .name 0 }}",
      '{{ index . "constructor" "constructor" }}',
    ]) {
      expect(render(text)).toBeNull();
    }
  });

  it("the process, its environment and JS globals are not in scope", () => {
    for (const text of [
      "{{ .process.env.PATH }}",
      "{{ .env.HOME }}",
      "{{ .globalThis.process }}",
      "{{ .require }}",
    ]) {
      expect(render(text)).toBeNull();
    }
    for (const name of [
      "process",
      "eval",
      "require",
      "constructor",
      "hasOwnProperty",
      "Function",
    ]) {
      expect(() => compileTemplate(`{{ ${name} }}`, site)).toThrow(/unknown function/);
    }
  });

  it("only own properties of plain objects and arrays are read", () => {
    const inherited = Object.create({ secret: "inherited" }) as Record<string, unknown>;
    inherited.own = "mine";
    class Box {
      inside = "boxed";
    }
    const root = {
      inherited,
      box: new Box(),
      map: new Map([["k", "v"]]),
      date: new Date(0),
      bare: Object.assign(Object.create(null) as Record<string, unknown>, { ok: 1 }),
    };
    // An object with another prototype is not plain data: not even its own keys are read.
    expect(render("{{ .inherited.own }}", root)).toBeNull();
    expect(render("{{ .inherited.secret }}", root)).toBeNull();
    expect(render("{{ .box.inside }}", root)).toBeNull();
    expect(render("{{ .map.k }}", root)).toBeNull();
    expect(render("{{ .map.size }}", root)).toBeNull();
    expect(render("{{ .date.getTime }}", root)).toBeNull();
    expect(render("{{ .bare.ok }}", root)).toBe(1);
    expect(render("{{ .date }}", root)).toEqual(new Date(0));
    expect(render("at {{ .date }}", root)).toBe("at 1970-01-01T00:00:00.000Z");
  });

  it("function values in data are never returned or called", () => {
    let called = 0;
    const spy = () => {
      called++;
      return "called";
    };
    const root = {
      fn: spy,
      obj: { toJSON: spy, toString: spy, valueOf: spy, x: 1 },
      list: [spy, 1],
    };
    expect(render("{{ .fn }}", root)).toBeNull();
    expect(render("{{ .obj.toJSON }}", root)).toBeNull();
    expect(render("{{ index .list 0 }}", root)).toBeNull();
    expect(render("{{ .obj }}", root)).toBe(root.obj); // the object itself is plain data
    expect(render("obj={{ .obj }} list={{ .list }}", root)).toBe('obj={"x":1} list=[null,1]');
    expect(render("{{ json .obj }}", root)).toBe('{"x":1}');
    expect(render("{{ toString .obj }} {{ upper .obj }} {{ length .obj }}", root)).toBe(
      '{"x":1} {"X":1} 4',
    );
    expect(render("{{ eq .obj .obj }} {{ contains 1 .list }}", root)).toBe("true true");
    expect(called).toBe(0);
  });

  it("rendering never changes Object.prototype, even for a config key named __proto__", () => {
    const config = JSON.parse('{"__proto__": {"polluted": "{{ .name }}"}, "a": "{{ .name }}"}');
    const out = compileValue(config, site).render(data, { strict: true }) as Record<
      string,
      unknown
    >;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.hasOwn(out, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(out.a).toBe("Ada");
  });

  it("the engine's source uses no eval, new Function or process state", () => {
    const dir = path.resolve(
      path.dirname(fileURLToPath(import.meta.url)),
      "../../../src/engine/templates",
    );
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
      const source = readFileSync(path.join(dir, file), "utf8");
      expect(source, file).not.toMatch(
        /\beval\s*\(|new\s+Function\b|\bFunction\s*\(|process\.|globalThis/,
      );
    }
  });
});
