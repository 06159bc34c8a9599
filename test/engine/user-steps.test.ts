import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { createDefaultRegistry } from "../../src/config-types.js";
import { App } from "../../src/engine/app.js";
import { builtinSteps } from "../../src/engine/steps/builtin-steps.js";
import { tempDir } from "../helpers/temp-dir.js";
import { recordingLogger } from "./steps/step-harness.js";

// A TypeScript module using the engine's factory API: templates compiled at build.
const GREET_TS = `
import type { StepFactory } from "${path.resolve("src/engine/steps/step-factory.js")}";
import { render } from "${path.resolve("src/engine/steps/step-runtime.js")}";

const greet: StepFactory = (ctx) => {
  const who = ctx.compile(["who"]);
  return {
    name: () => ctx.name,
    execute: async (pc) => ({ output: { greeting: \`hello \${String(render(pc, who))}\` } }),
  };
};

export default function register(registry: { register(type: string, f: StepFactory): void }) {
  registry.register("acme.greet", greet);
}
`;

// A plain JavaScript module exporting the seed's StepRegistrar.
const SHOUT_JS = `
export default {
  types: () => ["acme.shout"],
  create: (type, name, config) => ({
    name: () => name,
    execute: async (pc) => ({ output: { shouted: String(pc.current[config.field]).toUpperCase() } }),
  }),
};
`;

async function build(yaml: string, files: Record<string, string>) {
  const dir = tempDir("wfctl-user-steps");
  for (const [name, content] of Object.entries({ "wfctl.yaml": yaml, ...files })) {
    writeFileSync(path.join(dir, name), content);
  }
  const loaded = await loadConfig(path.join(dir, "wfctl.yaml"), {
    registry: createDefaultRegistry(),
    environ: {},
    cwd: dir,
  });
  if (!loaded.config) return { diagnostics: loaded.diagnostics.map((d) => d.message) };
  return {
    app: await App.build(loaded.config, { logger: recordingLogger(), steps: builtinSteps() }),
  };
}

const PIPELINE = `
pipelines:
  hi:
    steps:
      - name: greet
        type: acme.greet
        config: { who: "{{ .name | title }}" }
      - name: shout
        type: acme.shout
        config: { field: greeting }
`;

describe("step types from the config's steps: modules", () => {
  it("loads TypeScript and JavaScript modules and runs their steps with templates", async () => {
    const { app } = await build(
      `steps:
  - { module: ./greet.ts, types: [acme.greet] }
  - { module: ./shout.mjs, types: [acme.shout] }
${PIPELINE}`,
      { "greet.ts": GREET_TS, "shout.mjs": SHOUT_JS },
    );
    const run = await app?.run("hi", { name: "ada" });
    expect(run?.output).toMatchObject({ greeting: "hello Ada", shouted: "HELLO ADA" });
  });

  it("rejects at load a step type no steps: entry declares, naming its position", async () => {
    const { diagnostics } = await build(
      `steps:\n  - { module: ./shout.mjs, types: [acme.shout] }\n${PIPELINE}`,
      {
        "shout.mjs": SHOUT_JS,
      },
    );
    expect(diagnostics?.join("\n")).toContain('unknown step type "acme.greet"');
  });

  it("refuses a module that registers other types than its entry declares", async () => {
    const declared = build(
      `steps:\n  - { module: ./shout.mjs, types: [acme.shout, acme.greet] }\n${PIPELINE}`,
      { "shout.mjs": SHOUT_JS },
    );
    await expect(declared).rejects.toThrow(
      "steps module ./shout.mjs does not register acme.greet, which its entry declares",
    );
    const undeclared = build(
      `steps:\n  - { module: ./greet.ts, types: [acme.shout] }\npipelines: {}\n`,
      { "greet.ts": GREET_TS },
    );
    await expect(undeclared).rejects.toThrow(
      "it registers acme.greet, which its entry's types do not list",
    );
  });
});
