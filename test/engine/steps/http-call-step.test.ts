import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpCallStep } from "../../../src/engine/steps/http-call-step.js";
import { buildStep, contextWith } from "./step-harness.js";

interface Seen {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingMessage["headers"];
  body: string;
}

describe("step.http_call", () => {
  let server: Server;
  let base: string;
  const seen: Seen[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => {
        body += chunk.toString();
      });
      req.on("end", () => {
        seen.push({ method: req.method, url: req.url, headers: req.headers, body });
        if (req.url?.startsWith("/slow")) {
          setTimeout(() => res.end("late"), 2_000).unref();
          return;
        }
        if (req.url?.startsWith("/missing")) {
          res.writeHead(404, { "content-type": "application/json" });
          res.end(JSON.stringify({ error: "no such order" }));
          return;
        }
        if (req.url?.startsWith("/text")) {
          res.writeHead(200, { "content-type": "text/plain" });
          res.end("hello");
          return;
        }
        res.writeHead(201, { "content-type": "application/json", "x-trace": "t-1" });
        res.end(JSON.stringify({ ok: true, echo: body === "" ? null : JSON.parse(body) }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const last = () => seen[seen.length - 1] as Seen;

  it("POSTs a templated JSON body and outputs status, headers and the decoded body", async () => {
    const step = buildStep(httpCallStep, {
      url: `${base}/orders/{{ .trigger.id }}`,
      method: "POST",
      headers: { Authorization: "Bearer {{ .trigger.token }}" },
      body: { id: "{{ .trigger.id }}", qty: 2 },
    });
    const result = await step.execute(contextWith({ id: 7, token: "s3cret" }));
    expect(result.output).toMatchObject({
      status_code: 201,
      status: "201 Created",
      headers: { "content-type": "application/json", "x-trace": "t-1" },
      body: { ok: true, echo: { id: 7, qty: 2 } },
    });
    expect(typeof result.output?.elapsed_ms).toBe("number");
    expect(last()).toMatchObject({ method: "POST", url: "/orders/7" });
    expect(last().headers.authorization).toBe("Bearer s3cret");
    expect(last().headers["content-type"]).toBe("application/json");
  });

  it("sends the current data for a POST without body, nothing for a GET", async () => {
    await buildStep(httpCallStep, { url: `${base}/a`, method: "POST" }).execute(
      contextWith({ a: 1 }, { prev: { b: 2 } }),
    );
    expect(JSON.parse(last().body)).toEqual({ a: 1, b: 2 });
    await buildStep(httpCallStep, { url: `${base}/a` }).execute(contextWith({ a: 1 }));
    expect(last()).toMatchObject({ method: "GET", body: "" });
  });

  it("sends body_from data", async () => {
    await buildStep(httpCallStep, {
      url: `${base}/a`,
      method: "PUT",
      body_from: "steps.build.payload",
    }).execute(contextWith({}, { build: { payload: { name: "tea" } } }));
    expect(JSON.parse(last().body)).toEqual({ name: "tea" });
  });

  it("returns text bodies as text", async () => {
    const result = await buildStep(httpCallStep, { url: `${base}/text` }).execute(contextWith());
    expect(result.output?.body).toBe("hello");
  });

  it("fails on a 4xx by default, naming the request and the status but not the query or headers", async () => {
    const step = buildStep(httpCallStep, {
      url: `${base}/missing?api_key=k-123`,
      headers: { authorization: "Bearer s3cret" },
    });
    const err = await step.execute(contextWith()).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    const message = (err as Error).message;
    expect(message).toMatch(/^GET http/);
    expect(message).toContain("404 Not Found");
    expect(message).toContain("/missing");
    expect(message).not.toContain("k-123");
    expect(message).not.toContain("s3cret");
  });

  it("outputs a 4xx as data when error_on_status is false", async () => {
    const step = buildStep(httpCallStep, { url: `${base}/missing`, error_on_status: false });
    const result = await step.execute(contextWith());
    expect(result.output).toMatchObject({ status_code: 404, body: { error: "no such order" } });
  });

  it("times out after its timeout", async () => {
    const step = buildStep(httpCallStep, { url: `${base}/slow`, timeout: "200ms" });
    const started = Date.now();
    await expect(step.execute(contextWith())).rejects.toThrow(/timed out after 200ms/);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it("stops when the pipeline's signal aborts", async () => {
    const step = buildStep(httpCallStep, { url: `${base}/slow` });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("pipeline cancelled")), 100);
    await expect(step.execute(contextWith(), { signal: controller.signal })).rejects.toThrow(
      "pipeline cancelled",
    );
  });

  it("reports an unreachable server", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const step = buildStep(httpCallStep, { url: `http://127.0.0.1:${port}/x` });
    await expect(step.execute(contextWith())).rejects.toThrow(
      /GET http:\/\/127.0.0.1:\d+\/x failed/,
    );
  });

  it("rejects a bad static url or timeout when built", () => {
    expect(() => buildStep(httpCallStep, { url: "ftp://example.com" })).toThrow(
      /step "step": url must be an absolute http/,
    );
    expect(() => buildStep(httpCallStep, { url: `${base}/a`, timeout: "soon" })).toThrow(
      /timeout must be a duration/,
    );
  });
});
