/**
 * What `step.db_query` and `step.db_exec` share: the database module (`database`,
 * alias `module`) looked up when the pipeline is built, the SQL checked then (no
 * templates; placeholders `$1`…`$N` matched by `params`), and the parameters
 * (`params`, alias `args`) rendered per execution and bound, never spliced. With
 * `tenant_scoped: true` the execution's tenant id is bound to `$tenant_id`, which the
 * query must use: a query cannot forget its tenant, and one without a tenant never runs.
 */
import { type PipelineContext, ValidationError } from "../../contracts/index.js";
import type { SqlDatabase } from "../database/sql-database.js";
import type { CompiledValue } from "../templates/template-api.js";
import { aliased, configError, messageOf, requiredString } from "./data-step-support.js";
import type { StepBuildContext } from "./step-factory.js";
import { render } from "./step-runtime.js";

export interface DbStepParts {
  readonly db: SqlDatabase;
  readonly sql: string;
  /** This execution's parameter values, in `$1`… order. */
  params(pc: PipelineContext): unknown[];
  /** A database failure as the step's error: names the step and the module, not the DSN. */
  failure(err: unknown): Error;
}

export function dbStepParts(ctx: StepBuildContext): DbStepParts {
  const dbKey = aliased(ctx, ["database", "module"]);
  if (dbKey === undefined) throw configError(ctx, "config.database is required");
  const name = requiredString(ctx, dbKey);
  const db = lookup(ctx, name);
  const written = requiredString(ctx, "query");
  if (written.includes("{{")) {
    throw configError(
      ctx,
      "config.query cannot contain templates ({{ }}); use $1, $2, … placeholders and pass the values in config.params",
    );
  }
  const paramsKey = aliased(ctx, ["params", "args"]);
  const list = paramsKey === undefined ? [] : ctx.config[paramsKey];
  if (!Array.isArray(list)) throw configError(ctx, `config.${paramsKey} must be a list`);
  const { highest, tenant } = placeholders(written);
  if (highest > list.length) {
    throw configError(
      ctx,
      `config.query uses $${highest} but config.${paramsKey ?? "params"} has ${list.length} value(s)`,
    );
  }
  const scoped = ctx.config.tenant_scoped === true;
  if (scoped !== tenant) {
    throw configError(
      ctx,
      scoped
        ? "config.tenant_scoped is true but config.query has no $tenant_id placeholder; filter by it (e.g. WHERE tenant_id = $tenant_id) so rows of other tenants can never be read or written"
        : "config.query uses $tenant_id; set config.tenant_scoped: true to bind the request's tenant to it",
    );
  }
  // $tenant_id becomes the placeholder after the params, bound per execution.
  const sql = scoped ? withPlaceholder(written, "$tenant_id", `$${list.length + 1}`) : written;
  const compiled: CompiledValue | undefined =
    paramsKey === undefined ? undefined : ctx.compile([paramsKey]);
  const values = (pc: PipelineContext): unknown[] =>
    compiled === undefined ? [] : (render(pc, compiled) as unknown[]);
  return {
    db,
    sql,
    params: scoped ? (pc) => [...values(pc), tenantIdOf(pc)] : values,
    failure: (err) => new Error(`database "${db.name}": ${messageOf(err)}`, { cause: err }),
  };
}

function lookup(ctx: StepBuildContext, name: string): SqlDatabase {
  let db: SqlDatabase;
  try {
    db = ctx.services.database(name);
  } catch (err) {
    throw configError(ctx, `database "${name}" cannot be used: ${messageOf(err)}`);
  }
  if (typeof db?.query !== "function" || typeof db.execute !== "function") {
    throw configError(ctx, `module "${name}" is not a database`);
  }
  return db;
}

// Quoted text and comments are skipped, so a `$1` inside a string literal is not counted.
const TOKENS = /'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|\/\*[\s\S]*?\*\/|\$(\d+)|(\$tenant_id)\b/g;

/** The highest `$N` the query uses, and whether it uses `$tenant_id`. */
function placeholders(sql: string): { highest: number; tenant: boolean } {
  let highest = 0;
  let tenant = false;
  for (const match of sql.matchAll(TOKENS)) {
    if (match[1] !== undefined) highest = Math.max(highest, Number(match[1]));
    if (match[2] !== undefined) tenant = true;
  }
  return { highest, tenant };
}

/** `sql` with each `name` placeholder (outside quotes and comments) replaced by `by`. */
function withPlaceholder(sql: string, name: string, by: string): string {
  return sql.replace(TOKENS, (token) => (token === name ? by : token));
}

/** The execution's tenant id; none fails closed, as the resolver's `required` does. */
function tenantIdOf(pc: PipelineContext): string {
  const id = pc.metadata.tenant_id;
  if (typeof id !== "string" || id === "") {
    throw new ValidationError("tenant not found", 404);
  }
  return id;
}

/** Row values as plain JSON data: dates as ISO text, bytes as base64. */
export function plainRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    Object.defineProperty(out, key, {
      value:
        value instanceof Date
          ? value.toISOString()
          : value instanceof Uint8Array
            ? Buffer.from(value).toString("base64")
            : value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}
