import path from "node:path";
import { DURATION_EXAMPLES, parseDuration } from "../../config/index.js";
import { WfError } from "../../diagnostics/index.js";
import { redactDsn } from "../../diagnostics/redact-dsn.js";
import { STATE_BACKENDS } from "../module-types.js";
import { openFilesystemStore } from "./filesystem/index.js";
import { openPostgresStore } from "./postgres/index.js";
import { openSqliteStore } from "./sqlite/index.js";
import { toStateError } from "./state-error.js";
import type { LockIdentity, StateBackend, StateStore } from "./state-store.js";

/** How long a state lock lives without a heartbeat (`lock_ttl`); holders renew it every third. */
export const DEFAULT_LOCK_TTL_MS = 120_000;

/** An `iac.state` module's config, checked, with defaults applied and paths absolute. */
export type ResolvedStateConfig = Readonly<
  | { backend: "filesystem"; directory: string; lockTtlMs: number }
  | { backend: "sqlite"; path: string; lockTtlMs: number }
  | {
      backend: "postgres";
      dsn: string;
      schema: string | undefined;
      tablePrefix: string | undefined;
      lockTtlMs: number;
    }
>;

export interface OpenStateOptions {
  /** Folder of the config file: relative paths and the default state live there. */
  readonly configDir: string;
  readonly identity: LockIdentity;
}

/**
 * Resolves the config of the `iac.state` module (undefined when the config has none:
 * filesystem state in `.wfctl/state` next to the config).
 */
export function resolveStateConfig(
  config: Readonly<Record<string, unknown>> | undefined,
  configDir: string,
): ResolvedStateConfig {
  const c = config ?? {};
  const backend = optionalString(c, "backend") ?? "filesystem";
  if (!(STATE_BACKENDS as readonly string[]).includes(backend)) {
    throw configError(`unknown backend "${backend}"; use one of ${STATE_BACKENDS.join(", ")}`);
  }
  const lockTtlMs = lockTtl(c);
  const resolve = (p: string) => path.resolve(configDir, p);
  switch (backend as StateBackend) {
    case "filesystem":
      return Object.freeze({
        backend: "filesystem",
        directory: resolve(optionalString(c, "directory") ?? ".wfctl/state"),
        lockTtlMs,
      });
    case "sqlite":
      return Object.freeze({
        backend: "sqlite",
        path: resolve(optionalString(c, "path") ?? ".wfctl/state.db"),
        lockTtlMs,
      });
    case "postgres": {
      const dsn = optionalString(c, "dsn") ?? optionalString(c, "connection_string");
      if (dsn === undefined) throw configError("the postgres backend needs `dsn`");
      return Object.freeze({
        backend: "postgres",
        dsn,
        schema: optionalString(c, "schema"),
        tablePrefix: optionalString(c, "table_prefix"),
        lockTtlMs,
      });
    }
  }
}

/** Opens the state store the `iac.state` module config describes. */
export async function openStateStore(
  config: Readonly<Record<string, unknown>> | undefined,
  options: OpenStateOptions,
): Promise<StateStore> {
  const resolved = resolveStateConfig(config, options.configDir);
  const { identity } = options;
  try {
    switch (resolved.backend) {
      case "filesystem":
        return await openFilesystemStore({ directory: resolved.directory, identity });
      case "sqlite":
        return await openSqliteStore({ path: resolved.path, identity });
      case "postgres":
        return await openPostgresStore({
          dsn: resolved.dsn,
          identity,
          ...(resolved.schema === undefined ? {} : { schema: resolved.schema }),
          ...(resolved.tablePrefix === undefined ? {} : { tablePrefix: resolved.tablePrefix }),
        });
    }
  } catch (err) {
    throw toStateError(err, "open the state", {
      backend: resolved.backend,
      location: stateLocation(resolved),
    });
  }
}

/** Where resolved state lives, for messages (a password never shows). */
export function stateLocation(resolved: ResolvedStateConfig): string {
  switch (resolved.backend) {
    case "filesystem":
      return resolved.directory;
    case "sqlite":
      return resolved.path;
    case "postgres":
      return redactDsn(resolved.dsn);
  }
}

function lockTtl(c: Readonly<Record<string, unknown>>): number {
  const text = optionalString(c, "lock_ttl");
  if (text === undefined) return DEFAULT_LOCK_TTL_MS;
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) {
    throw configError(`lock_ttl "${text}" is not a positive duration (e.g. ${DURATION_EXAMPLES})`);
  }
  return ms;
}

function optionalString(c: Readonly<Record<string, unknown>>, key: string): string | undefined {
  const value = c[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || value === "") {
    throw configError(`\`${key}\` must be a non-empty string`);
  }
  return value;
}

function configError(message: string): WfError {
  return new WfError("WF_ERR_CONFIG_SCHEMA", `iac.state: ${message}`);
}
