import { describe, expect, it } from "vitest";
import { buildSection, registerBuildSection } from "../../src/build/build-section.js";
import { ConfigTypeRegistry } from "../../src/config/type-registry.js";
import { checker } from "./support.js";

describe("build section", () => {
  const build = checker(buildSection.schema);

  it("registers the top-level `build` key", () => {
    const registry = new ConfigTypeRegistry();
    registerBuildSection(registry);
    expect(registry.sections().map((s) => s.key)).toEqual(["build"]);
  });

  it("accepts CONFIG.md's example", () => {
    build.valid({
      targets: [
        {
          name: "web",
          command: "node build.js",
          dir: "./web",
          outputs: ["dist/web.js"],
          env: { NODE_ENV: "production" },
        },
      ],
      artifacts: { dir: "./artifacts" },
    });
    build.valid({ targets: [{ name: "api", command: "npm run build", timeout: "10m" }] });
  });

  it("rejects missing keys, typos and wrong types", () => {
    build.invalid({}, "targets");
    build.invalid({ targets: [] }, "targets");
    build.invalid({ targets: [{ name: "web" }] }, "command");
    build.invalid({ targets: [{ command: "make" }] }, "name");
    build.invalid({ targets: [{ name: "web", command: "make", output: ["a"] }] }, "output");
    build.invalid({ targets: [{ name: "web", command: "make", env: { PORT: 3000 } }] }, "PORT");
    build.invalid({ targets: [{ name: "web", command: "make", timeout: "soon" }] }, "timeout");
    build.invalid({ targets: [{ name: "my target", command: "make" }] }, "name");
    build.invalid({ targets: [{ name: "a", command: "make" }], artifacts: {} }, "dir");
    build.invalid({ targets: [{ name: "a", command: "make" }], hooks: [] }, "hooks");
  });
});
