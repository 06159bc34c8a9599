import { describe, expect, it } from "vitest";
import {
  ErrForbidden,
  ErrImageNotInRegistry,
  ErrProviderMethodUnimplemented,
  ErrRateLimited,
  ErrResourceAlreadyExists,
  ErrResourceNotFound,
  ErrTransient,
  ErrUnauthorized,
  ErrValidation,
  errorAs,
  errorChain,
  errorIs,
  iacSentinels,
  isSentinelWireName,
  SentinelError,
  sentinelFromHttpStatus,
  sentinelFromWireName,
  sentinelHttpStatus,
  sentinelOf,
  sentinelWireName,
  sentinelWireNames,
  WrappedSentinelError,
  wrapSentinel,
} from "../../src/contracts/index.js";

describe("sentinel errors", () => {
  it("keep the seed's exact messages", () => {
    expect(ErrResourceNotFound.message).toBe("iac: resource not found");
    expect(ErrResourceAlreadyExists.message).toBe("iac: resource already exists");
    expect(ErrRateLimited.message).toBe("iac: rate limited");
    expect(ErrTransient.message).toBe("iac: transient error");
    expect(ErrForbidden.message).toBe("iac: forbidden");
    expect(ErrValidation.message).toBe("iac: validation error");
    expect(ErrImageNotInRegistry.message).toBe("iac: image tag or digest not found in registry");
    expect(ErrProviderMethodUnimplemented.message).toBe("iac: provider method unimplemented");
    expect(ErrUnauthorized.message).toBe("iac: unauthorized");
  });

  it("are frozen, branded and listed once each", () => {
    expect(iacSentinels).toHaveLength(9);
    expect(new Set(iacSentinels.map((s) => s.message)).size).toBe(9);
    for (const s of iacSentinels) {
      expect(Object.isFrozen(s)).toBe(true);
      expect(SentinelError.is(s)).toBe(true);
      expect(s).toBeInstanceOf(Error);
    }
    expect(SentinelError.is(new Error("iac: resource not found"))).toBe(false);
    expect(SentinelError.is(undefined)).toBe(false);
  });
});

describe("wrapSentinel", () => {
  it("appends the sentinel's message and keeps both sentinel and cause reachable", () => {
    const cause = new Error("HTTP 404 from api");
    const err = wrapSentinel(ErrResourceNotFound, 'read vpc "main"', cause);
    expect(err.message).toBe('read vpc "main": iac: resource not found');
    expect(err.sentinel).toBe(ErrResourceNotFound);
    expect(err.cause).toBe(cause);
    expect(WrappedSentinelError.is(err)).toBe(true);
    expect([...errorChain(err)]).toEqual([err, ErrResourceNotFound, cause]);
  });

  it("uses the sentinel as cause when none is given, and the bare message for empty context", () => {
    const err = wrapSentinel(ErrTransient, "");
    expect(err.message).toBe("iac: transient error");
    expect(err.cause).toBe(ErrTransient);
  });
});

describe("errorIs", () => {
  it("matches the sentinel itself and through several layers of wrapping", () => {
    expect(errorIs(ErrValidation, ErrValidation)).toBe(true);
    const inner = wrapSentinel(ErrRateLimited, "list droplets");
    const outer = new Error("apply web", { cause: new Error("create web", { cause: inner }) });
    expect(errorIs(outer, ErrRateLimited)).toBe(true);
    expect(errorIs(outer, ErrTransient)).toBe(false);
  });

  it("looks inside AggregateError.errors", () => {
    const agg = new AggregateError(
      [new Error("boom"), wrapSentinel(ErrForbidden, "delete bucket")],
      "2 actions failed",
    );
    expect(errorIs(agg, ErrForbidden)).toBe(true);
    expect(errorIs(new Error("x", { cause: agg }), ErrForbidden)).toBe(true);
    expect(errorIs(agg, ErrResourceNotFound)).toBe(false);
  });

  it("falls back to the message string, which survives process boundaries", () => {
    const rebuilt = new Error("plugin fakecloud: create db: iac: resource already exists");
    expect(errorIs(rebuilt, ErrResourceAlreadyExists)).toBe(true);
    expect(errorIs("iac: image tag or digest not found in registry", ErrImageNotInRegistry)).toBe(
      true,
    );
    expect(errorIs({ message: "iac: rate limited" }, ErrRateLimited)).toBe(true);
  });

  it("matches a sentinel from another copy of the package by brand and message", () => {
    const copy = new SentinelError("iac: forbidden", "forbidden", 403);
    expect(errorIs(new Error("x", { cause: copy }), ErrForbidden)).toBe(true);
  });

  it("compares non-sentinel targets by identity only", () => {
    const target = new Error("some error");
    expect(errorIs(new Error("wrap", { cause: target }), target)).toBe(true);
    expect(errorIs(new Error("some error"), target)).toBe(false);
  });

  it("terminates on cyclic causes", () => {
    const a = new Error("a");
    const b = new Error("b", { cause: a });
    (a as { cause?: unknown }).cause = b;
    expect(errorIs(a, ErrTransient)).toBe(false);
    expect([...errorChain(a)]).toEqual([a, b]);
  });

  it("handles non-errors", () => {
    expect(errorIs(undefined, ErrTransient)).toBe(false);
    expect(errorIs(null, ErrTransient)).toBe(false);
    expect(errorIs(42, ErrTransient)).toBe(false);
  });
});

describe("errorAs", () => {
  it("finds the first value matching a guard", () => {
    const err = new Error("outer", { cause: wrapSentinel(ErrValidation, "bad") });
    expect(errorAs(err, WrappedSentinelError.is)?.sentinel).toBe(ErrValidation);
    expect(errorAs(new Error("plain"), WrappedSentinelError.is)).toBeUndefined();
  });
});

describe("HTTP status mapping", () => {
  it("maps each sentinel to its status", () => {
    const cases: [SentinelError, number | undefined][] = [
      [ErrResourceNotFound, 404],
      [ErrResourceAlreadyExists, 409],
      [ErrRateLimited, 429],
      [ErrTransient, 502],
      [ErrUnauthorized, 401],
      [ErrForbidden, 403],
      [ErrValidation, 400],
      [ErrImageNotInRegistry, undefined],
      [ErrProviderMethodUnimplemented, undefined],
    ];
    for (const [sentinel, status] of cases) {
      expect(sentinelHttpStatus(wrapSentinel(sentinel, "op")), sentinel.message).toBe(status);
    }
    expect(sentinelHttpStatus(new Error("plain"))).toBeUndefined();
    expect(sentinelHttpStatus("iac: forbidden")).toBe(403);
  });

  it("maps statuses back to sentinels", () => {
    const cases: [number, SentinelError | undefined][] = [
      [404, ErrResourceNotFound],
      [410, ErrResourceNotFound],
      [409, ErrResourceAlreadyExists],
      [429, ErrRateLimited],
      [502, ErrTransient],
      [503, ErrTransient],
      [504, ErrTransient],
      [401, ErrUnauthorized],
      [403, ErrForbidden],
      [400, ErrValidation],
      [422, ErrValidation],
      [500, undefined],
      [200, undefined],
      [418, undefined],
    ];
    for (const [status, sentinel] of cases) {
      expect(sentinelFromHttpStatus(status), String(status)).toBe(sentinel);
    }
  });

  it("round-trips every sentinel that has a status", () => {
    for (const s of iacSentinels) {
      if (s.httpStatus !== undefined) {
        expect(sentinelFromHttpStatus(s.httpStatus)).toBe(s);
      }
    }
  });
});

describe("sentinelOf", () => {
  it("prefers an attached sentinel over message matches", () => {
    const err = wrapSentinel(ErrValidation, "field says iac: resource not found");
    expect(sentinelOf(err)).toBe(ErrValidation);
  });

  it("falls back to messages in precedence order", () => {
    expect(sentinelOf(new Error("x: iac: transient error"))).toBe(ErrTransient);
    expect(sentinelOf(new Error("nothing"))).toBeUndefined();
  });

  it("normalises a foreign copy to this package's instance", () => {
    expect(sentinelOf(new SentinelError("iac: rate limited", "rate_limited", 429))).toBe(
      ErrRateLimited,
    );
  });
});

describe("wire names", () => {
  it("lists the plugin wire names", () => {
    expect([...sentinelWireNames]).toEqual([
      "not_found",
      "already_exists",
      "rate_limited",
      "transient",
      "unauthorized",
      "forbidden",
      "validation",
      "image_not_in_registry",
      "unimplemented",
    ]);
  });

  it("round-trips every sentinel", () => {
    for (const s of iacSentinels) {
      expect(sentinelFromWireName(s.wireName)).toBe(s);
      expect(sentinelWireName(wrapSentinel(s, "ctx"))).toBe(s.wireName);
    }
    expect(sentinelFromWireName("not_found")).toBe(ErrResourceNotFound);
    expect(sentinelFromWireName("unimplemented")).toBe(ErrProviderMethodUnimplemented);
    expect(sentinelFromWireName("nope")).toBeUndefined();
    expect(sentinelWireName(new Error("plain"))).toBeUndefined();
  });

  it("checks wire names at runtime", () => {
    expect(isSentinelWireName("transient")).toBe(true);
    expect(isSentinelWireName("Transient")).toBe(false);
    expect(isSentinelWireName(3)).toBe(false);
  });
});
