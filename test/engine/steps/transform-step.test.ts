import { describe, expect, it } from "vitest";
import { transformStep } from "../../../src/engine/steps/transform-step.js";
import { buildStep, contextWith } from "./step-harness.js";

const run = async (operations: unknown[], trigger: Record<string, unknown>) =>
  (await buildStep(transformStep, { operations }, {}, "shape").execute(contextWith(trigger)))
    .output;

describe("step.transform", () => {
  const order = {
    body: {
      items: [
        { sku: "tea", qty: 2, internal: "x" },
        { sku: "jam", qty: 1, internal: "y" },
      ],
    },
  };

  it("extracts a path, including list indexes", async () => {
    expect(await run([{ type: "extract", config: { path: "body.items.1.sku" } }], order)).toEqual({
      data: "jam",
    });
  });

  it("chains extract, map and filter over a list of objects without changing the input", async () => {
    const ctx = contextWith(order);
    const step = buildStep(transformStep, {
      operations: [
        { type: "extract", config: { path: "body.items" } },
        { type: "map", config: { mappings: { sku: "product", qty: "quantity" } } },
        { type: "filter", config: { fields: ["product", "quantity"] } },
      ],
    });
    expect((await step.execute(ctx)).output).toEqual({
      data: [
        { product: "tea", quantity: 2 },
        { product: "jam", quantity: 1 },
      ],
    });
    expect(ctx.current.body).toEqual(order.body);
  });

  it("renames and filters keys of the current data", async () => {
    const out = await run(
      [
        { type: "map", config: { mappings: { first: "given_name" } } },
        { type: "filter", config: { fields: ["given_name", "age"] } },
      ],
      { first: "Ann", last: "Lee", age: 30 },
    );
    expect(out).toEqual({ data: { given_name: "Ann", age: 30 } });
  });

  it("converts between JSON text and values", async () => {
    expect(
      await run(
        [
          { type: "extract", config: { path: "raw" } },
          { type: "convert", config: { from: "string", to: "json" } },
        ],
        { raw: '{"a":[1,2]}' },
      ),
    ).toEqual({ data: { a: [1, 2] } });
    expect(
      await run(
        [
          { type: "filter", config: { fields: ["a"] } },
          { type: "convert", config: { from: "json", to: "string" } },
        ],
        { a: 1, b: 2 },
      ),
    ).toEqual({ data: '{"a":1}' });
  });

  it("fails naming the operation", async () => {
    await expect(run([{ type: "extract", config: { path: "body.nope" } }], order)).rejects.toThrow(
      "operations[0] (extract): nothing at body.nope",
    );
    await expect(
      run(
        [
          { type: "extract", config: { path: "body.items.0.sku" } },
          { type: "map", config: { mappings: { a: "b" } } },
        ],
        order,
      ),
    ).rejects.toThrow("operations[1] (map): needs an object or a list of objects, got a string");
    await expect(
      run([{ type: "convert", config: { from: "string", to: "json" } }], { a: 1 }),
    ).rejects.toThrow("operations[0] (convert): needs text, got an object");
  });

  it("rejects unknown operations when built", () => {
    expect(() =>
      buildStep(transformStep, { operations: [{ type: "sort", config: {} }] }, {}, "shape"),
    ).toThrow(
      'step "shape": config.operations[0] (sort): type must be extract, map, filter or convert',
    );
  });
});
