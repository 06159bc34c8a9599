import { afterEach, describe, expect, it } from "vitest";
import { freePort } from "../../../../src/providers/local/supervisor/free-port.js";
import type { BalancerSpec } from "../../../../src/providers/local/supervisor/supervisor-protocol.js";
import { baseSpec, createHarness, get, type Harness, webGroup } from "./supervisor-harness.js";

let h: Harness;
afterEach(async () => {
  await h.cleanup();
});

async function serve(extra: Partial<BalancerSpec>): Promise<number> {
  h = createHarness();
  const port = await freePort();
  h.start(
    baseSpec([webGroup({ instances: 1 }, h.dir)], {
      balancer: { host: "127.0.0.1", port, strategy: "round_robin", group: "web", ...extra },
    }),
  );
  await h.waitFor("ready", (s) => s.ready);
  return port;
}

const preflight = (port: number, origin: string, method = "PUT", headers = "x-token") =>
  fetch(`http://127.0.0.1:${port}/items`, {
    method: "OPTIONS",
    headers: {
      origin,
      "access-control-request-method": method,
      "access-control-request-headers": headers,
    },
  });

describe("supervisor balancer cors", () => {
  it("answers a preflight from an allowed origin itself, and refuses others with 403", async () => {
    const port = await serve({
      cors: {
        allow_origins: ["https://app.example"],
        allow_methods: ["GET", "PUT"],
        allow_credentials: true,
        max_age_s: 600,
      },
    });
    const ok = await preflight(port, "https://app.example");
    expect(ok.status).toBe(204);
    expect(Object.fromEntries(ok.headers)).toMatchObject({
      "access-control-allow-origin": "https://app.example",
      "access-control-allow-methods": "GET, PUT",
      "access-control-allow-headers": "x-token",
      "access-control-allow-credentials": "true",
      "access-control-max-age": "600",
      vary: "Origin",
    });
    expect((await preflight(port, "https://evil.example")).status).toBe(403);
    expect((await preflight(port, "https://app.example", "DELETE")).status).toBe(403);
  });

  it("adds the allowed origin (echoed, not *) and Vary to proxied responses", async () => {
    const port = await serve({
      cors: { allow_origins: ["*"], allow_credentials: true, expose_headers: ["x-request-id"] },
    });
    const allowed = await fetch(`http://127.0.0.1:${port}/`, {
      headers: { origin: "https://any.example" },
    });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://any.example");
    expect(allowed.headers.get("access-control-allow-credentials")).toBe("true");
    expect(allowed.headers.get("access-control-expose-headers")).toBe("x-request-id");
    expect(allowed.headers.get("vary")).toBe("Origin");
    const plain = await fetch(`http://127.0.0.1:${port}/`);
    expect(plain.headers.get("access-control-allow-origin")).toBeNull();
    expect(plain.headers.get("vary")).toBe("Origin");
  });

  it("gives no CORS headers to a response for an origin not allowed", async () => {
    const port = await serve({ cors: { allow_origins: ["https://app.example"] } });
    const res = await fetch(`http://127.0.0.1:${port}/`, {
      headers: { origin: "https://evil.example" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("forwards an OPTIONS request that is not a preflight to the replica", async () => {
    const port = await serve({ cors: { allow_origins: ["*"] } });
    const res = await fetch(`http://127.0.0.1:${port}/x`, { method: "OPTIONS" });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { path: string }).path).toBe("/x");
  });
});

describe("supervisor balancer routes", () => {
  it("serves only paths under its routes, stripping the prefix unless preserved", async () => {
    const port = await serve({
      routes: [
        { prefix: "/api", strip: true },
        { prefix: "/api/v2", strip: false },
      ],
    });
    expect((await get(port, "/api/users?x=1")).path).toBe("/users?x=1");
    expect((await get(port, "/api")).path).toBe("/");
    expect((await get(port, "/api/v2/users")).path).toBe("/api/v2/users");
    const outside = await fetch(`http://127.0.0.1:${port}/apix`);
    expect(outside.status).toBe(404);
    expect(await outside.json()).toEqual({ error: "no route for /apix" });
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(404);
  });

  it("serves every path unchanged under a / route", async () => {
    const port = await serve({ routes: [{ prefix: "/", strip: true }] });
    expect((await get(port, "/a/b")).path).toBe("/a/b");
  });
});
