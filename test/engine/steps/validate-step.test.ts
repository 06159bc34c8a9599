import { describe, expect, it } from "vitest";
import { ValidationError } from "../../../src/contracts/index.js";
import { validateStep } from "../../../src/engine/steps/validate-step.js";
import { buildStep, contextWith } from "./step-harness.js";

const orderSchema = {
  type: "object",
  required: ["customer", "items"],
  properties: {
    customer: {
      type: "object",
      required: ["email"],
      properties: { email: { type: "string", format: "email" }, age: { type: "integer" } },
    },
    items: { type: "array", items: { type: "object", required: ["sku"] } },
    status: { enum: ["new", "paid"] },
  },
};

async function failure(promise: Promise<unknown>): Promise<ValidationError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(ValidationError.is(err)).toBe(true);
  return err as ValidationError;
}

describe("step.validate", () => {
  const body = { customer: { email: "ann@example.com" }, items: [{ sku: "tea" }] };

  it("passes valid data read from source and outputs {valid: true}", async () => {
    const step = buildStep(validateStep, { schema: orderSchema, source: "steps.parse.body" });
    const result = await step.execute(contextWith({}, { parse: { body } }));
    expect(result.output).toEqual({ valid: true });
  });

  it("fails with 400 naming the nested field and the format", async () => {
    const step = buildStep(validateStep, { schema: orderSchema, source: "steps.parse.body" });
    const bad = { ...body, customer: { email: "not-an-email" } };
    const err = await failure(step.execute(contextWith({}, { parse: { body: bad } })));
    expect(err.status).toBe(400);
    expect(err.field).toBe("customer.email");
    expect(err.message).toBe('customer.email must match format "email"');
  });

  it("names a missing required property by its full path", async () => {
    const step = buildStep(validateStep, { schema: orderSchema });
    const err = await failure(step.execute(contextWith({ customer: {}, items: [] })));
    expect(err.field).toBe("customer.email");
    expect(err.message).toBe("customer.email is required");
  });

  it("names list items, types and allowed values", async () => {
    const step = buildStep(validateStep, { schema: orderSchema });
    const items = await failure(step.execute(contextWith({ ...body, items: [{ sku: "a" }, {}] })));
    expect(items.field).toBe("items.1.sku");
    const age = await failure(
      step.execute(contextWith({ ...body, customer: { email: "a@b.co", age: "old" } })),
    );
    expect(age.message).toBe("customer.age must be integer");
    const status = await failure(step.execute(contextWith({ ...body, status: "lost" })));
    expect(status.message).toBe('status must be one of "new", "paid"');
  });

  it("validates the current data by default (trigger data merged with step outputs)", async () => {
    const step = buildStep(validateStep, { schema: { required: ["id", "name"] } });
    await expect(step.execute(contextWith({ id: 1 }, { load: { name: "x" } }))).resolves.toEqual({
      output: { valid: true },
    });
  });

  it("rejects an invalid schema when built, naming the step", () => {
    expect(() => buildStep(validateStep, { schema: { type: "strin" } }, {}, "check")).toThrow(
      /pipeline "test" step "check": config.schema is not a valid JSON Schema/,
    );
  });

  it("checks required_fields (dotted paths; null counts as missing)", async () => {
    const step = buildStep(validateStep, {
      strategy: "required_fields",
      required_fields: ["name", "address.city"],
    });
    await expect(
      step.execute(contextWith({ name: "a", address: { city: "Oslo" } })),
    ).resolves.toEqual({ output: { valid: true } });
    const err = await failure(step.execute(contextWith({ name: "a", address: { city: null } })));
    expect(err.status).toBe(400);
    expect(err.field).toBe("address.city");
    expect(err.message).toBe("address.city is required");
  });

  it("fails when the source is absent", async () => {
    const step = buildStep(validateStep, {
      schema: { type: "object", required: ["id"] },
      source: "steps.parse.body",
    });
    const err = await failure(step.execute(contextWith({})));
    expect(err.status).toBe(400);
    expect(err.message).toBe("input must be object");
  });
});
