/**
 * A plugin's `plugin.json` (PLUGINS.md): what it is, how to start it, and what it
 * provides (an IaC provider, build hooks). Read and checked in one place, so every
 * command that finds plugins reports a broken manifest the same way.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { Ajv } from "ajv";
import { allHookEvents, type HookEvent } from "../contracts/index.js";
import { WfError } from "../diagnostics/index.js";

export const MANIFEST_FILE = "plugin.json";

export type HookFailurePolicy = "fail" | "warn" | "skip";

export interface PluginHook {
  readonly event: HookEvent;
  /** Lower runs first (default 0); ties by plugin name. */
  readonly priority: number;
  readonly timeout_seconds: number;
}

export interface PluginManifest {
  readonly name: string;
  readonly version: string;
  /** Program and arguments, run with the plugin's folder as working directory. */
  readonly command: readonly string[];
  readonly iac?: { readonly provider: string };
  readonly hooks: readonly PluginHook[];
  readonly on_hook_failure: HookFailurePolicy;
}

/** Plugin names are folder names and provider names: no paths, no surprises. */
const NAME = "^[a-z0-9][a-z0-9._-]*$";

const schema = {
  type: "object",
  required: ["name", "version", "command"],
  additionalProperties: false,
  properties: {
    name: { type: "string", pattern: NAME, maxLength: 64 },
    version: { type: "string", minLength: 1 },
    command: { type: "array", minItems: 1, items: { type: "string", minLength: 1 } },
    iac: {
      type: "object",
      required: ["provider"],
      additionalProperties: false,
      properties: { provider: { type: "string", pattern: NAME } },
    },
    hooks: {
      type: "array",
      items: {
        type: "object",
        required: ["event"],
        additionalProperties: false,
        properties: {
          event: { enum: allHookEvents() },
          priority: { type: "integer" },
          timeout_seconds: { type: "number", exclusiveMinimum: 0 },
        },
      },
    },
    on_hook_failure: { enum: ["fail", "warn", "skip"] },
  },
} as const;

const validate = new Ajv({ allErrors: true }).compile(schema);

/** The manifest in `dir`; an error names the file and every problem in it. */
export function readPluginManifest(dir: string): PluginManifest {
  const file = path.join(dir, MANIFEST_FILE);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    const why =
      (err as NodeJS.ErrnoException).code === "ENOENT" ? "missing" : (err as Error).message;
    throw new WfError("WF_ERR_PLUGIN", `${file}: ${why}`, { cause: err });
  }
  if (!validate(data)) {
    const problems = (validate.errors ?? []).map((e) => {
      const where =
        e.instancePath === "" ? "manifest" : e.instancePath.slice(1).replaceAll("/", ".");
      const allowed =
        "allowedValues" in e.params ? `: ${(e.params.allowedValues as string[]).join(", ")}` : "";
      const extra =
        "additionalProperty" in e.params ? ` (${String(e.params.additionalProperty)})` : "";
      return `${where} ${e.message}${allowed}${extra}`;
    });
    throw new WfError("WF_ERR_PLUGIN", `${file}: ${problems.join("; ")}`);
  }
  const raw = data as Omit<PluginManifest, "hooks" | "on_hook_failure"> & {
    hooks?: { event: HookEvent; priority?: number; timeout_seconds?: number }[];
    on_hook_failure?: HookFailurePolicy;
  };
  return {
    ...raw,
    hooks: (raw.hooks ?? []).map((h) => ({
      event: h.event,
      priority: h.priority ?? 0,
      timeout_seconds: h.timeout_seconds ?? 60,
    })),
    on_hook_failure: raw.on_hook_failure ?? "fail",
  };
}
