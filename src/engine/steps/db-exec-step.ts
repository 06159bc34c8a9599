/**
 * `step.db_exec`: runs an INSERT, UPDATE, DELETE or DDL statement with bound `$1`…
 * parameters. Output `{affected_rows, last_id}`: `last_id` is the inserted rowid on
 * SQLite and the `id` a `RETURNING id` clause gave on PostgreSQL, as text, else null.
 */

import { pipelineStep } from "./data-step-support.js";
import { dbStepParts } from "./db-step-common.js";
import type { StepFactory } from "./step-factory.js";

export const dbExecStep: StepFactory = (ctx) => {
  const { db, sql, params, failure } = dbStepParts(ctx);
  return pipelineStep(ctx, async (pc) => {
    const values = params(pc);
    try {
      const result = await db.execute(sql, values);
      return { output: { affected_rows: result.affectedRows, last_id: result.lastId ?? null } };
    } catch (err) {
      throw failure(err);
    }
  });
};
