/**
 * The one catalog of user-facing failure families. Every error wfctl reports to a
 * person carries one of these codes; `docs/errors.md` lists them and a test keeps the
 * two in step. Seed sentinel errors (src/contracts) keep their own verbatim messages.
 */
export const errorCatalog = {
  WF_ERR_USAGE: {
    title: "Invalid command-line usage",
    fix: "Run the command with --help to see its flags and an example.",
  },
  WF_ERR_CONFIG_NOT_FOUND: {
    title: "Config file not found",
    fix: "Pass -c FILE, or create wfctl.yaml (or infra.yaml) in the working directory.",
  },
  WF_ERR_CONFIG_PARSE: {
    title: "Config file is not valid YAML",
    fix: "Fix the YAML syntax at the position shown.",
  },
  WF_ERR_CONFIG_IMPORT: {
    title: "Config import failed",
    fix: "Check that every path in `imports:` exists (relative to the importing file) and that no file imports itself, directly or through others.",
  },
  WF_ERR_CONFIG_ENV_VAR: {
    title: "Environment variable not set",
    fix: "Set the variable, give a default with ${VAR:-default}, or write $${ for a literal ${.",
  },
  WF_ERR_CONFIG_SCHEMA: {
    title: "Config does not match the schema",
    fix: "Correct the value at the position shown; `wfctl schema` prints the full schema for editors.",
  },
  WF_ERR_CONFIG_UNKNOWN_TYPE: {
    title: "Unknown module, step or trigger type",
    fix: "Use one of the known types; the message suggests the nearest one.",
  },
  WF_ERR_CONFIG_DUPLICATE: {
    title: "Duplicate name",
    fix: "Give every module (and every step within a pipeline) a unique name.",
  },
  WF_ERR_CONFIG_REFERENCE: {
    title: "Reference to something that is not declared",
    fix: "Declare the referenced module or step, or correct the name; the message suggests the nearest one.",
  },
  WF_ERR_CONFIG_CYCLE: {
    title: "Dependency cycle",
    fix: "Remove one of the dependencies the message names, so that modules can start (and resources be created) in order.",
  },
  WF_ERR_CONFIG_ENVIRONMENT: {
    title: "Unknown environment",
    fix: "Pass an --env that the config declares under `environments:`, or declare it.",
  },
  WF_ERR_STATE_LOCKED: {
    title: "State is locked",
    fix: "Wait for the other run to finish, pass --lock-timeout to wait for it, or, if it is gone, run `wfctl infra state unlock --force`.",
  },
  WF_ERR_STATE: {
    title: "State store failure",
    fix: "Check that the state backend is reachable and writable; state written so far is kept.",
  },
  WF_ERR_STATE_VERSION: {
    title: "State or plan written by a newer wfctl",
    fix: "Upgrade wfctl to the version named in the message (or newer) to read this file.",
  },
  WF_ERR_PLAN_STALE: {
    title: "Saved plan is stale",
    fix: "Run `wfctl infra plan -o FILE` again and apply the new plan.",
  },
  WF_ERR_PLAN_FILE: {
    title: "Plan file cannot be read or written",
    fix: "Check the path given to -o or --plan (its folder must exist and be writable); if the file is damaged or missing, write a new one with `wfctl infra plan -o FILE`.",
  },
  WF_ERR_PROVIDER: {
    title: "Provider failure",
    fix: "Read the provider's message; with -v its log is shown. Fix the resource config or credentials and re-run.",
  },
  WF_ERR_IAC: {
    title: "Infrastructure operation failed",
    fix: "Read the message naming the resource; state reflects every action that completed, so re-running plan/apply continues from there.",
  },
  WF_ERR_PROTECTED: {
    title: "Destructive action on a protected resource",
    fix: "Re-run with the --allow-replace (or --allow-protected-prune) flag the message shows, or remove `protected: true`.",
  },
  WF_ERR_DATABASE: {
    title: "Database cannot be reached",
    fix: "Check the DSN (or the database module's `path`/`dsn`) and that the server is running; passwords are never printed.",
  },
  WF_ERR_MIGRATION_FILES: {
    title: "Migration files are not consistent",
    fix: "Rename or remove the files named: each version has one `<version>_<description>.up.sql` and at most one `.down.sql`.",
  },
  WF_ERR_MIGRATION_FAILED: {
    title: "A migration failed",
    fix: "Fix the statement shown and run the command again; the database stays at the version before the failing migration.",
  },
  WF_ERR_MIGRATION_DIRTY: {
    title: "Database is dirty",
    fix: "A no-transaction migration failed half-way: check the database by hand, then run `wfctl migrate repair --expected-dirty-version V --force-version V --confirm-force FORCE_MIGRATION_METADATA`.",
  },
  WF_ERR_MIGRATION_INVALID: {
    title: "Migrations do not match the database",
    fix: "Restore the file as it was applied, or renumber a never-applied migration above the current version; `wfctl migrate status` shows the details.",
  },
  WF_ERR_MIGRATION_LOCKED: {
    title: "Another migration run holds the lock",
    fix: "Wait for the other run to finish, or pass a longer --lock-timeout.",
  },
  WF_ERR_APP_START: {
    title: "The app could not start",
    fix: "Read the module the message names: an address already in use, a database that cannot be reached, a migration that fails.",
  },
  WF_ERR_PIPELINE: {
    title: "A pipeline failed",
    fix: "Read the failing step in the message; `wfctl executions show ID` has the execution's record when the config has an execution.store.",
  },
  WF_ERR_TENANT: {
    title: "The tenant registry refused the request",
    fix: 'Read the field the message names: a slug is lower-case a-z, 0-9 and "-" (at most 63); a domain is a host name held by one tenant only; `wfctl tenants list` shows ids, slugs and domains.',
  },
  WF_ERR_PLUGIN: {
    title: "A plugin cannot be used",
    fix: "Read the plugin and file the message names: its plugin.json must follow docs/plugins.md; `wfctl plugin list` shows the plugins found and the broken ones.",
  },
  WF_ERR_NOT_IMPLEMENTED: {
    title: "Not available in this version",
    fix: "The config uses a module type this version of wfctl can validate but not run; remove the module or run it with the subsystem that owns it (docs/engine.md lists what `wfctl run` runs).",
  },
  WF_ERR_INTERNAL: {
    title: "Internal error",
    fix: "This is a bug in wfctl. Re-run with -v for details and report it with the config that triggers it.",
  },
} as const satisfies Record<string, { title: string; fix: string }>;

export type ErrorCode = keyof typeof errorCatalog;

export function errorCodes(): ErrorCode[] {
  return Object.keys(errorCatalog) as ErrorCode[];
}
