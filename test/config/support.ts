/**
 * Helpers for the config loader tests: fixture files in a temp folder, a small
 * registry of types (the real registrations are tested elsewhere), and loading with
 * diagnostics rendered as the user sees them (`FILE:LINE:COL: message`).
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { type LoadOptions, type LoadResult, loadConfig } from "../../src/config/index.js";
import { ConfigTypeRegistry } from "../../src/config/type-registry.js";
import { formatDiagnostic } from "../../src/diagnostics/index.js";
import { tempDir } from "../helpers/temp-dir.js";

/** Strip the common indentation and the first newline, so test YAML reads naturally and line 1 is its first line. */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = strings.reduce(
    (out, s, i) => out + s + (i < values.length ? String(values[i]) : ""),
    "",
  );
  const lines = text.replace(/^\n/, "").split("\n");
  const indents = lines.filter((l) => l.trim() !== "").map((l) => /^ */.exec(l)?.[0].length ?? 0);
  const strip = Math.min(...indents);
  return lines
    .map((l) => l.slice(strip))
    .join("\n")
    .replace(/[ ]+$/, "");
}

/** Write `files` (relative name → content) into a fresh temp folder; returns the folder. */
export async function fixture(files: Record<string, string>): Promise<string> {
  const dir = tempDir("wfctl-config");
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
  }
  return dir;
}

export interface Loaded {
  readonly result: LoadResult;
  /** Every diagnostic as printed: `FILE:LINE:COL: message` (warnings with `warning: `). */
  readonly messages: string[];
  readonly errors: string[];
  readonly warnings: string[];
}

/** Load `file` (default `wfctl.yaml`) of a fixture; file names in messages are relative to the fixture. */
export async function load(
  files: Record<string, string>,
  options: Partial<LoadOptions> & { file?: string } = {},
): Promise<Loaded> {
  const dir = await fixture(files);
  return loadIn(dir, options);
}

export async function loadIn(
  dir: string,
  options: Partial<LoadOptions> & { file?: string } = {},
): Promise<Loaded> {
  const { file = "wfctl.yaml", ...rest } = options;
  const result = await loadConfig(file, {
    registry: testRegistry(),
    environ: {},
    cwd: dir,
    ...rest,
  });
  const messages = result.diagnostics.map(formatDiagnostic);
  return {
    result,
    messages,
    errors: result.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic),
    warnings: result.diagnostics.filter((d) => d.severity === "warning").map(formatDiagnostic),
  };
}

const closed = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: "object",
  additionalProperties: false,
  properties,
  ...extra,
});

/** A small registry shaped like the real one: exact types, an `infra.*` pattern, a section. */
export function testRegistry(): ConfigTypeRegistry {
  const registry = new ConfigTypeRegistry();
  registry
    .register("module", {
      type: "http.server",
      description: "An HTTP server.",
      configSchema: closed({
        address: { type: "string" },
        request_id: { type: "boolean" },
        body_limit: { type: "integer", minimum: 1 },
      }),
    })
    .register("module", {
      type: "database.postgres",
      description: "A PostgreSQL connection pool.",
      configSchema: closed(
        { dsn: { type: "string", minLength: 1 }, pool_size: { type: "integer" } },
        { required: ["dsn"] },
      ),
    })
    .register("module", {
      type: "eventbus.memory",
      description: "In-process topics.",
      configSchema: closed({}),
    })
    .register("module", {
      type: "iac.provider",
      description: "Loads an IaC provider.",
      configSchema: {
        type: "object",
        properties: { provider: { type: "string" } },
        required: ["provider"],
      },
    })
    .register("module", {
      type: "infra.database",
      description: "A database resource.",
      configSchema: closed({
        provider: { type: "string" },
        region: { type: "string" },
        name: { type: "string" },
        depends_on: { type: "array", items: { type: "string" } },
        engine: { enum: ["sqlite", "postgres"] },
        size: { type: "string" },
      }),
    })
    .register("module", {
      type: "infra.*",
      description: "Any other infrastructure resource.",
      configSchema: {
        type: "object",
        properties: {
          provider: { type: "string" },
          region: { type: "string" },
          name: { type: "string" },
          depends_on: { type: "array", items: { type: "string" } },
          http_port: { type: "integer", minimum: 1, maximum: 65535 },
          env_vars: { type: "object", additionalProperties: { type: "string" } },
          env_vars_secret: { type: "object", additionalProperties: { type: "string" } },
        },
      },
    })
    .register("step", {
      type: "step.set",
      description: "Set values.",
      configSchema: closed({ values: { type: "object" } }, { required: ["values"] }),
    })
    .register("step", {
      type: "step.conditional",
      description: "Route by a field's value.",
      configSchema: closed(
        { field: { type: "string" }, routes: { type: "object" }, default: { type: "string" } },
        { required: ["field", "routes"] },
      ),
    })
    .register("step", {
      type: "step.json_response",
      description: "Write a JSON response.",
      configSchema: closed({ status: { type: "integer" }, body: {} }),
    })
    .register("trigger", {
      type: "http",
      description: "An HTTP route.",
      configSchema: closed(
        { method: { enum: ["GET", "POST", "PUT", "DELETE"] }, path: { type: "string" } },
        { required: ["path"] },
      ),
    })
    .register("trigger", {
      type: "schedule",
      description: "A cron schedule.",
      configSchema: closed({ cron: { type: "string" } }, { required: ["cron"] }),
    })
    .registerSection({
      key: "build",
      description: "Build targets.",
      schema: closed({
        targets: {
          type: "array",
          items: closed(
            { name: { type: "string" }, command: { type: "string" } },
            { required: ["name"] },
          ),
        },
      }),
    });
  return registry;
}
