/**
 * `step.db_query`: runs a SELECT with bound `$1`… parameters. Mode `list` (upstream
 * `many`, the default) outputs `{rows, count}`; mode `single` (upstream `one`) outputs
 * the first row as `{row, found}`, with `row: null` and `found: false` when there is none.
 */

import { configError, optionalString, pipelineStep } from "./data-step-support.js";
import { dbStepParts, plainRow } from "./db-step-common.js";
import type { StepFactory } from "./step-factory.js";

const MODES: Readonly<Record<string, "list" | "single">> = {
  list: "list",
  many: "list",
  single: "single",
  one: "single",
};

export const dbQueryStep: StepFactory = (ctx) => {
  const modeName = optionalString(ctx, "mode") ?? "list";
  const mode = Object.hasOwn(MODES, modeName) ? MODES[modeName] : undefined;
  if (mode === undefined) {
    throw configError(ctx, `config.mode must be list or single (or many / one), not "${modeName}"`);
  }
  const { db, sql, params, failure } = dbStepParts(ctx);
  return pipelineStep(ctx, async (pc) => {
    const values = params(pc);
    let rows: Record<string, unknown>[];
    try {
      rows = await db.query(sql, values);
    } catch (err) {
      throw failure(err);
    }
    if (mode === "single") {
      const first = rows[0];
      return {
        output: { row: first === undefined ? null : plainRow(first), found: first !== undefined },
      };
    }
    return { output: { rows: rows.map(plainRow), count: rows.length } };
  });
};
