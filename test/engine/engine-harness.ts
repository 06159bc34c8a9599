import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { onTestFinished } from "vitest";
import { loadConfig, type WorkflowConfig } from "../../src/config/index.js";
import { createDefaultRegistry } from "../../src/config-types.js";
import { App } from "../../src/engine/app.js";
import { builtinSteps } from "../../src/engine/steps/builtin-steps.js";
import { tempDir } from "../helpers/temp-dir.js";
import { recordingLogger } from "./steps/step-harness.js";

/** Loads `yaml` as a wfctl.yaml in a temp folder (with `files` beside it). */
export async function loadTestConfig(
  yaml: string,
  files: Record<string, string> = {},
): Promise<WorkflowConfig> {
  const dir = tempDir("wfctl-engine");
  writeFileSync(path.join(dir, "wfctl.yaml"), yaml);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  const result = await loadConfig(path.join(dir, "wfctl.yaml"), {
    registry: createDefaultRegistry(),
    environ: {},
    cwd: dir,
  });
  if (!result.config) {
    throw new Error(`test config invalid:\n${result.diagnostics.map((d) => d.message).join("\n")}`);
  }
  return result.config;
}

/**
 * A started app from `yaml` whose http.server listens on a free loopback port;
 * stopped when the test finishes. `url(path)` addresses it.
 */
export async function startTestApp(yaml: string, files: Record<string, string> = {}) {
  const config = await loadTestConfig(yaml, files);
  const logger = recordingLogger();
  const app = await App.build(config, { logger, steps: builtinSteps() });
  await app.start();
  onTestFinished(() => app.stop());
  const port = app.httpPort();
  return { app, logger, url: (p: string) => `http://127.0.0.1:${port}${p}` };
}

/** The http.server module every test app starts with. */
export const HTTP_SERVER = `
  - name: http
    type: http.server
    config: { address: "127.0.0.1:0" }
`;
