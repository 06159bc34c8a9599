import { describe, expect, it } from "vitest";
import {
  asValidationError,
  ErrValidation,
  isValidationError,
  newValidationError,
  ValidationError,
  validationErrorStatus,
  wrapSentinel,
} from "../../src/contracts/index.js";

describe("ValidationError", () => {
  it("carries message, status, field and code", () => {
    const err = new ValidationError("email is invalid", 422, { field: "email", code: "E_EMAIL" });
    expect(err.message).toBe("email is invalid");
    expect(err.status).toBe(422);
    expect(err.field).toBe("email");
    expect(err.code).toBe("E_EMAIL");
    expect(err).toBeInstanceOf(Error);
    expect(ValidationError.is(err)).toBe(true);
  });

  it("newValidationError builds one with a status and no field", () => {
    const err = newValidationError("bad input", 400);
    expect(err.message).toBe("bad input");
    expect(err.status).toBe(400);
    expect(err.field).toBeUndefined();
    expect(err.code).toBeUndefined();
  });

  it("is found anywhere in the chain", () => {
    const ve = newValidationError("bad", 422);
    const wrapped = new Error("step validate failed", { cause: new Error("x", { cause: ve }) });
    expect(isValidationError(wrapped)).toBe(true);
    expect(asValidationError(wrapped)).toBe(ve);
    expect(isValidationError(new AggregateError([new Error("a"), ve]))).toBe(true);
    expect(isValidationError(new Error("plain"))).toBe(false);
    expect(isValidationError(undefined)).toBe(false);
  });

  it("is not confused with the ErrValidation sentinel", () => {
    expect(isValidationError(wrapSentinel(ErrValidation, "x"))).toBe(false);
  });

  it("is recognised by brand, not instanceof", () => {
    const foreign = Object.assign(new Error("m"), {
      [Symbol.for("wfctl.contracts.ValidationError")]: true,
      status: 409,
    });
    expect(isValidationError(foreign)).toBe(true);
    expect(validationErrorStatus(foreign)).toBe(409);
  });
});

describe("validationErrorStatus", () => {
  it("returns the status in the chain", () => {
    expect(validationErrorStatus(newValidationError("x", 422))).toBe(422);
    expect(validationErrorStatus(new Error("w", { cause: newValidationError("x", 404) }))).toBe(
      404,
    );
  });

  it("defaults to 400 for status 0 or no ValidationError", () => {
    expect(validationErrorStatus(newValidationError("x", 0))).toBe(400);
    expect(validationErrorStatus(new Error("plain"))).toBe(400);
    expect(validationErrorStatus(undefined)).toBe(400);
  });
});
