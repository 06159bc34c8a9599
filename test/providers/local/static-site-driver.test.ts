import { writeFileSync } from "node:fs";
import { request } from "node:http";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ResourceDriver } from "../../../src/contracts/index.js";
import { allocatePort } from "../../../src/providers/local/ports.js";
import { get, localHarness } from "./local-harness.js";

const TYPE = "infra.static_site";

/** A GET with the path sent exactly as written (fetch would normalise `..` away). */
function rawGet(port: number, urlPath: string): Promise<string> {
  return new Promise((resolve, reject) => {
    request({ host: "127.0.0.1", port, path: urlPath }, (res) => {
      let body = "";
      res.on("data", (d: Buffer) => (body += d.toString()));
      res.on("end", () => resolve(`${res.statusCode} ${body}`));
    })
      .on("error", reject)
      .end();
  });
}
type Harness = Awaited<ReturnType<typeof localHarness>>;

describe("local infra.static_site", () => {
  let h: Harness;
  let driver: ResourceDriver;
  beforeEach(async () => {
    h = await localHarness({ ready_timeout_seconds: 15 });
    driver = h.provider.resourceDriver(TYPE);
  });
  afterEach(async () => {
    expect(await h.cleanup()).toEqual([]);
  });

  it("builds, then serves output_dir on http_port, never a file outside it", async () => {
    const port = await allocatePort();
    writeFileSync(path.join(h.project.dir, "secret.txt"), "top secret");
    const created = await driver.create(
      h.spec(TYPE, "web", {
        source_dir: h.project.appDir,
        build_command: "mkdir -p dist && echo built > dist/index.html",
        output_dir: "dist",
        http_port: port,
      }),
    );
    h.track(TYPE, "web");
    expect(created.outputs).toMatchObject({ url: `http://127.0.0.1:${port}`, port });
    expect(await get(`http://127.0.0.1:${port}/`)).toBe("built\n");
    expect(await rawGet(port, "/../../secret.txt")).toBe("404 not found\n");
    expect(await rawGet(port, "/%2e%2e/%2e%2e/secret.txt")).toBe("404 not found\n");
    await driver.delete(created);
    expect(await get(`http://127.0.0.1:${port}/`)).toBeUndefined();
  });

  it("picks a free port without http_port, and fails with a clear error when output_dir is missing", async () => {
    const created = await driver.create(
      h.spec(TYPE, "auto", { source_dir: h.project.appDir, output_dir: "site" }),
    );
    h.track(TYPE, "auto");
    expect(await get(created.outputs.url as string)).toBe("<h1>local site</h1>\n");
    await expect(
      driver.create(h.spec(TYPE, "nosite", { source_dir: h.project.appDir, output_dir: "nope" })),
    ).rejects.toThrow(/nosite: output_dir .*nope is not a folder/);
  });

  it("serves the site under its routes only, with its cors policy", async () => {
    const port = await allocatePort();
    await driver.create(
      h.spec(TYPE, "docs", {
        source_dir: h.project.appDir,
        output_dir: "site",
        http_port: port,
        routes: [{ path: "/docs" }],
        cors: { allow_origins: ["https://app.example"] },
      }),
    );
    h.track(TYPE, "docs");
    const res = await fetch(`http://127.0.0.1:${port}/docs/`, {
      headers: { origin: "https://app.example" },
    });
    expect(await res.text()).toBe("<h1>local site</h1>\n");
    expect(res.headers.get("access-control-allow-origin")).toBe("https://app.example");
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(404);
  });
});
