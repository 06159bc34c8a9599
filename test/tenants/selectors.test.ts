import { exportSPKI, generateKeyPair, SignJWT, UnsecuredJWT } from "jose";
import { describe, expect, it } from "vitest";
import type { TenantRequest } from "../../src/contracts/index.js";
import { createSelector, isPathSelector } from "../../src/tenants/selectors.js";

const request = (headers: TenantRequest["headers"], url = "/"): TenantRequest => ({
  headers,
  url,
});
const host = (value: string) => request({ host: value });
const NO_MATCH = { key: "", matched: false };

describe("host selector", () => {
  const selector = createSelector({ type: "host" });

  it("gives the host case-folded, without its port", async () => {
    expect(await selector.match(host("Acme.Test:8080"))).toEqual({
      key: "acme.test",
      matched: true,
    });
    expect(await selector.match(host("acme.test"))).toEqual({ key: "acme.test", matched: true });
  });

  it("does not match without a Host header", async () => {
    expect(await selector.match(request({}))).toEqual(NO_MATCH);
  });
});

describe("subdomain selector", () => {
  const selector = createSelector({ type: "subdomain", root_domain: "example.com" });

  it("gives the one label in front of the root domain", async () => {
    expect(await selector.match(host("acme.example.com"))).toEqual({ key: "acme", matched: true });
    expect(await selector.match(host("ACME.Example.com:443"))).toEqual({
      key: "acme",
      matched: true,
    });
  });

  it.each(["a.b.example.com", "example.com", "acme.other.com", "acmeexample.com"])(
    "does not match %s",
    async (value) => {
      expect(await selector.match(host(value))).toEqual(NO_MATCH);
    },
  );
});

describe("header selector", () => {
  it("reads the header named in any case", async () => {
    const selector = createSelector({ type: "header", name: "X-Tenant" });
    expect(await selector.match(request({ "x-tenant": " acme " }))).toEqual({
      key: "acme",
      matched: true,
    });
    expect(await selector.match(request({ "x-other": "acme" }))).toEqual(NO_MATCH);
    expect(await selector.match(request({ "x-tenant": "" }))).toEqual(NO_MATCH);
  });
});

describe("path_prefix selector", () => {
  const selector = createSelector({ type: "path_prefix" });
  if (!isPathSelector(selector)) throw new Error("path_prefix should strip its part of the path");
  const path = (url: string) => selector.match(request({}, url));

  it("takes the segment after the default prefix /t, and strips prefix and segment", async () => {
    expect(await path("/t/acme/orders?x=1")).toEqual({ key: "acme", matched: true });
    expect(selector.strip("/t/acme/orders?x=1")).toBe("/orders?x=1");
    expect(await path("/t/acme")).toEqual({ key: "acme", matched: true });
    expect(selector.strip("/t/acme")).toBe("/");
  });

  it("does not match, nor strip, other paths", async () => {
    for (const url of ["/other", "/t", "/t/", "/tx/acme"]) {
      expect(await path(url)).toEqual(NO_MATCH);
      expect(selector.strip(url)).toBeUndefined();
    }
  });

  it("takes a configured prefix", async () => {
    const custom = createSelector({ type: "path_prefix", prefix: "/tenants/" });
    expect(await custom.match(request({}, "/tenants/globex/a"))).toEqual({
      key: "globex",
      matched: true,
    });
    expect(await custom.match(request({}, "/t/acme/a"))).toEqual(NO_MATCH);
  });

  it("refuses the prefix /", () => {
    expect(() => createSelector({ type: "path_prefix", prefix: "/" })).toThrow(/prefix "\/"/);
  });
});

describe("jwt_claim selector", () => {
  const SECRET = "a-test-secret-of-at-least-32-bytes!";
  const key = new TextEncoder().encode(SECRET);
  const bearer = (token: string) => request({ authorization: `Bearer ${token}` });
  const signed = (claims: Record<string, unknown>, secret = key) =>
    new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).setExpirationTime("5m").sign(secret);

  describe("with a secret", () => {
    const selector = createSelector({ type: "jwt_claim", claim: "tenant", secret: SECRET });

    it("gives the claim of a token signed with the secret", async () => {
      expect(await selector.match(bearer(await signed({ tenant: "acme" })))).toEqual({
        key: "acme",
        matched: true,
      });
    });

    it("does not match a token signed with another secret", async () => {
      const token = await signed({ tenant: "acme" }, new TextEncoder().encode(`${SECRET}-other`));
      expect(await selector.match(bearer(token))).toEqual(NO_MATCH);
    });

    it("does not match an expired token", async () => {
      const token = await new SignJWT({ tenant: "acme" })
        .setProtectedHeader({ alg: "HS256" })
        .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
        .sign(key);
      expect(await selector.match(bearer(token))).toEqual(NO_MATCH);
    });

    it("does not match an unsigned token (alg none), or one with its signature cut off", async () => {
      const unsigned = new UnsecuredJWT({ tenant: "acme" }).encode();
      expect(await selector.match(bearer(unsigned))).toEqual(NO_MATCH);
      const stripped = (await signed({ tenant: "acme" })).replace(/[^.]+$/, "");
      expect(await selector.match(bearer(stripped))).toEqual(NO_MATCH);
    });

    it("does not match without the claim, without Bearer, or without the header", async () => {
      expect(await selector.match(bearer(await signed({ other: "acme" })))).toEqual(NO_MATCH);
      const token = await signed({ tenant: "acme" });
      expect(await selector.match(request({ authorization: token }))).toEqual(NO_MATCH);
      expect(await selector.match(request({}))).toEqual(NO_MATCH);
    });
  });

  it("with an issuer, does not match a token from another issuer", async () => {
    const selector = createSelector({
      type: "jwt_claim",
      claim: "tenant",
      secret: SECRET,
      issuer: "https://auth.example",
    });
    const from = (issuer: string) =>
      new SignJWT({ tenant: "acme" })
        .setProtectedHeader({ alg: "HS256" })
        .setIssuer(issuer)
        .setExpirationTime("5m")
        .sign(key);
    expect(await selector.match(bearer(await from("https://auth.example")))).toEqual({
      key: "acme",
      matched: true,
    });
    expect(await selector.match(bearer(await from("https://evil.example")))).toEqual(NO_MATCH);
    expect(await selector.match(bearer(await signed({ tenant: "acme" })))).toEqual(NO_MATCH);
  });

  it("with an ES256 public key, gives the claim of a token signed by its private key only", async () => {
    const pair = await generateKeyPair("ES256", { extractable: true });
    const publicKey = await exportSPKI(pair.publicKey);
    const selector = createSelector({ type: "jwt_claim", claim: "tenant", public_key: publicKey });
    const es256 = (privateKey: typeof pair.privateKey) =>
      new SignJWT({ tenant: "acme" })
        .setProtectedHeader({ alg: "ES256" })
        .setExpirationTime("5m")
        .sign(privateKey);

    expect(await selector.match(bearer(await es256(pair.privateKey)))).toEqual({
      key: "acme",
      matched: true,
    });
    const stranger = await generateKeyPair("ES256");
    expect(await selector.match(bearer(await es256(stranger.privateKey)))).toEqual(NO_MATCH);
    // Key confusion: an HS256 token "signed" with the public key's PEM text.
    const confused = await signed({ tenant: "acme" }, new TextEncoder().encode(publicKey));
    expect(await selector.match(bearer(confused))).toEqual(NO_MATCH);
  });

  it("refuses a config with neither secret nor public_key", () => {
    expect(() => createSelector({ type: "jwt_claim", claim: "tenant" })).toThrow(/secret/);
  });
});

describe("static selector", () => {
  it("always gives its value", async () => {
    const selector = createSelector({ type: "static", value: "acme" });
    expect(await selector.match(request({}))).toEqual({ key: "acme", matched: true });
  });
});

describe("createSelector", () => {
  it("refuses an unknown type", () => {
    expect(() => createSelector({ type: "cookie" })).toThrow(/unknown selector type "cookie"/);
  });
});
