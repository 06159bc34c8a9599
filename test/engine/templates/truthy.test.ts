import { describe, expect, it } from "vitest";
import { compileTemplate, isTruthy } from "../../../src/engine/templates/index.js";
import { data, site } from "./support.js";

describe("isTruthy (if / skip_if)", () => {
  it.each([
    undefined,
    null,
    false,
    0,
    -0,
    Number.NaN,
    "",
    "   ",
    "false",
    " false\n",
    "0",
    " 0 ",
    [],
    {},
  ])("%j is false", (value) => {
    expect(isTruthy(value)).toBe(false);
  });

  it.each([
    true,
    1,
    -1,
    0.5,
    "x",
    "true",
    "False",
    "00",
    "no",
    [0],
    [null],
    { a: null },
    new Date(0),
  ])("%j is true", (value) => {
    expect(isTruthy(value)).toBe(true);
  });

  it("reads rendered guards the way a step's if: does", () => {
    const guard = (text: string) =>
      isTruthy(compileTemplate(text, site).render(data, { strict: false }));
    expect(guard("{{ .steps.lookup.found }}")).toBe(true);
    expect(guard('{{ eq .steps.lookup.row.status "closed" }}')).toBe(false);
    expect(guard("{{ .steps.lookup.row.note }}")).toBe(false);
    expect(guard("{{ .nope }}")).toBe(false);
    expect(guard("{{ .trigger.query }}")).toBe(false);
    expect(guard("{{ .items }}")).toBe(true);
    expect(guard("{{ sub .count 3 }}")).toBe(false);
    expect(guard("count: {{ .count }}")).toBe(true);
  });
});
