import { describe, expect, it } from "vitest";
import { compileValue, TemplateError } from "../../../src/engine/templates/index.js";
import { data, site } from "./support.js";

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

const strict = { strict: true } as const;

describe("compileValue", () => {
  it("is not dynamic without templates and returns the config value itself", () => {
    for (const value of [{ a: 1, b: ["x", { c: true }] }, ["a", 2], "text", 12, null, true]) {
      const compiled = compileValue(value, site);
      expect(compiled.dynamic).toBe(false);
      expect(compiled.render(data, strict)).toBe(value);
    }
  });

  it("renders every string inside objects and lists, typed where a string is one action", () => {
    const config = deepFreeze({
      id: "{{ .steps.parse-body.body.id }}",
      greeting: "hello {{ .name }}",
      nested: { list: [1, "{{ .count }}", { deep: "{{ .items }}" }], flag: false, none: null },
      keep: "static",
    });
    const compiled = compileValue(config, site);
    expect(compiled.dynamic).toBe(true);
    expect(compiled.render(data, strict)).toEqual({
      id: 42,
      greeting: "hello Ada",
      nested: { list: [1, 3, { deep: [10, 20, 30] }], flag: false, none: null },
      keep: "static",
    });
  });

  it("never mutates or shares the config: each render is a fresh, mutable structure", () => {
    const config = deepFreeze({ a: "{{ .name }}", fixed: { x: [1, 2] }, list: [{ y: 1 }] });
    const compiled = compileValue(config, site);
    const first = compiled.render(data, strict) as {
      a: string;
      fixed: { x: number[] };
      list: { y: number }[];
    };
    const second = compiled.render(data, strict);
    expect(first).not.toBe(second);
    expect(first.fixed).not.toBe(config.fixed);
    expect(first.fixed.x).not.toBe(config.fixed.x);
    expect(first.list[0]).not.toBe(config.list[0]);
    first.fixed.x.push(3);
    first.list[0]!.y = 2;
    expect(config).toEqual({ a: "{{ .name }}", fixed: { x: [1, 2] }, list: [{ y: 1 }] });
    expect(second).toEqual({ a: "Ada", fixed: { x: [1, 2] }, list: [{ y: 1 }] });
  });

  it("does not treat keys as templates", () => {
    const compiled = compileValue({ "{{ .name }}": "{{ .name }}" }, site);
    expect(compiled.render(data, strict)).toEqual({ "{{ .name }}": "Ada" });
  });

  it("names the nested path in errors and uses its position when it can be located", () => {
    const position = { file: "wfctl.yaml", line: 3, col: 10 };
    const nested = { file: "wfctl.yaml", line: 7, col: 14 };
    const config = { body: { users: ["ok", "{{ .a | nope }}"], "odd key": "x" } };
    try {
      compileValue(config, { label: "step config", position }, (p) =>
        p.join("/") === "body/users/1" ? nested : undefined,
      );
      expect.unreachable();
    } catch (err) {
      expect(TemplateError.is(err)).toBe(true);
      const te = err as TemplateError;
      expect(te.site).toEqual({ label: "step config.body.users[1]", position: nested });
      expect(te.message).toBe(
        'step config.body.users[1]: template error at column 9: unknown function "nope"',
      );
    }
    try {
      compileValue({ "odd key": ["{{ }}"] }, { label: "cfg", position });
      expect.unreachable();
    } catch (err) {
      expect((err as TemplateError).site).toEqual({ label: 'cfg["odd key"][0]', position });
    }
  });

  it("passes strictness and onMissing through to nested templates", () => {
    const compiled = compileValue({ a: ["{{ .nope.x }}"] }, site);
    const missing: string[] = [];
    expect(compiled.render(data, { strict: false, onMissing: (p) => missing.push(p) })).toEqual({
      a: [null],
    });
    expect(missing).toEqual([".nope.x"]);
    expect(() => compiled.render(data, strict)).toThrow(".nope.x is missing");
  });
});
