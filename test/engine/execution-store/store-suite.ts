import { afterEach, expect, it } from "vitest";
import type { PipelineLogger } from "../../../src/contracts/index.js";
import { WfError } from "../../../src/diagnostics/index.js";
import type { SqlDatabase } from "../../../src/engine/database/sql-database.js";
import {
  ExecutionStore,
  type ExecutionStoreOptions,
} from "../../../src/engine/execution-store/index.js";
import { migrateUp } from "../../../src/migrations/index.js";

export interface LoggedLine {
  readonly level: string;
  readonly msg: string | undefined;
  readonly obj: Record<string, unknown>;
}

export function captureLogger(): { logger: PipelineLogger; lines: LoggedLine[] } {
  const lines: LoggedLine[] = [];
  const at =
    (level: string) =>
    (obj: Record<string, unknown>, msg?: string): void => {
      lines.push({ level, msg, obj });
    };
  return {
    lines,
    logger: { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") },
  };
}

const T0 = Date.parse("2025-06-01T12:00:00.000Z");

/**
 * The execution store's behaviour, run against a real database of each dialect.
 * `fresh` gives an empty database for one test; the suite closes it.
 */
export function executionStoreSuite(fresh: () => Promise<SqlDatabase>): void {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** A migrated database and a store on it, with a clock the test moves. */
  const setup = async (options: Partial<ExecutionStoreOptions> = {}, migrate = true) => {
    const db = await fresh();
    cleanups.push(() => db.close());
    const { logger, lines } = captureLogger();
    const clock = { now: T0 };
    const store = new ExecutionStore({
      database: db,
      logger,
      now: () => clock.now,
      ...options,
    });
    cleanups.push(() => store.close());
    if (migrate) {
      const migrations = await db.migrationDatabase();
      try {
        await migrateUp(migrations, { modules: [{ name: "executions", provider: store }] });
      } finally {
        await migrations.close();
      }
    }
    /** Records an event `advance` ms after the previous one. */
    const record = (id: string, type: string, data: Record<string, unknown> = {}, advance = 1) => {
      clock.now += advance;
      return store.recordEvent(id, type, data);
    };
    return { db, store, lines, clock, record };
  };

  const at = (ms: number) => new Date(T0 + ms).toISOString();

  it("materialises a successful execution: its row, its steps and every event", async () => {
    const { store, record } = await setup({ recordData: "all" });
    await record("ex-1", "execution.started", {
      pipeline: "create-order",
      step_count: 2,
      trigger_type: "http",
      trigger_data: { body: { sku: "tea" } },
      tenant_id: "acme",
    });
    await record("ex-1", "step.started", {
      step_name: "validate",
      step_type: "step.validate",
      index: 0,
    });
    await record(
      "ex-1",
      "step.completed",
      { step_name: "validate", elapsed: 3, output: { ok: true } },
      3,
    );
    await record("ex-1", "step.started", {
      step_name: "respond",
      step_type: "step.json_response",
      index: 1,
    });
    await record("ex-1", "conditional.routed", { step_name: "respond", next_step: "done" });
    await record("ex-1", "step.completed", { step_name: "respond", elapsed: 4 }, 4);
    await record("ex-1", "execution.completed", {
      pipeline: "create-order",
      elapsed: 12,
      output: { id: 7 },
    });
    await store.flush();

    const found = await store.getExecution("ex-1");
    expect(found?.execution).toEqual({
      id: "ex-1",
      pipeline: "create-order",
      status: "completed",
      trigger_type: "http",
      trigger_data: { body: { sku: "tea" } },
      output: { id: 7 },
      error: null,
      tenant_id: "acme",
      data_recorded: true,
      started_at: at(1),
      completed_at: at(12),
      duration_ms: 12,
    });
    expect(found?.steps).toEqual([
      {
        sequence_num: 1,
        step_name: "validate",
        step_type: "step.validate",
        status: "completed",
        output: { ok: true },
        error: null,
        started_at: at(2),
        completed_at: at(5),
        duration_ms: 3,
      },
      {
        sequence_num: 2,
        step_name: "respond",
        step_type: "step.json_response",
        status: "completed",
        output: null,
        error: null,
        started_at: at(6),
        completed_at: at(11),
        duration_ms: 4,
      },
    ]);
    expect(found?.events.map((e) => [e.sequence_num, e.event_type])).toEqual([
      [1, "execution.started"],
      [2, "step.started"],
      [3, "step.completed"],
      [4, "step.started"],
      [5, "conditional.routed"],
      [6, "step.completed"],
      [7, "execution.completed"],
    ]);
    expect(found?.events[4]).toEqual({
      sequence_num: 5,
      event_type: "conditional.routed",
      event_data: { step_name: "respond", next_step: "done" },
      created_at: at(7),
    });
    expect(await store.getExecution("no-such-execution")).toBeUndefined();
  });

  it("materialises a failed execution with its failed step and error", async () => {
    const { store, record } = await setup();
    await record("ex-2", "execution.started", { pipeline: "pay", step_count: 2 });
    await record("ex-2", "step.started", { step_name: "charge", index: 0 });
    await record("ex-2", "retry.attempted", { step_name: "charge", attempt: 1 });
    await record("ex-2", "step.failed", {
      step_name: "charge",
      error: "card declined",
      elapsed: 40,
    });
    await record("ex-2", "execution.failed", {
      error: 'step "charge" failed: card declined',
      elapsed: 45,
    });
    await store.flush();

    const found = await store.getExecution("ex-2");
    expect(found?.execution).toMatchObject({
      pipeline: "pay",
      status: "failed",
      error: 'step "charge" failed: card declined',
      trigger_type: null,
      tenant_id: null,
      duration_ms: 45,
    });
    expect(found?.steps).toMatchObject([
      { step_name: "charge", status: "failed", error: "card declined", duration_ms: 40 },
    ]);
    expect(found?.events).toHaveLength(5);
  });

  it("records skipped steps as skipped, with the reason", async () => {
    const { store, record } = await setup();
    await record("ex-3", "execution.started", { pipeline: "p", step_count: 3 });
    await record("ex-3", "step.started", { step_name: "audit", index: 0 });
    await record("ex-3", "step.skipped", { step_name: "audit", reason: "skip_if was true" });
    // A guard may skip a step without it being reported as started.
    await record("ex-3", "step.skipped", { step_name: "notify", reason: "if was false" });
    await record("ex-3", "step.started", { step_name: "done", index: 2 });
    await record("ex-3", "step.completed", { step_name: "done", elapsed: 1 });
    await record("ex-3", "execution.completed", { pipeline: "p", elapsed: 9 });
    await store.flush();

    const steps = (await store.getExecution("ex-3"))?.steps;
    expect(steps?.map((s) => [s.step_name, s.status, s.output])).toEqual([
      ["audit", "skipped", { skipped: true, reason: "skip_if was true" }],
      ["notify", "skipped", { skipped: true, reason: "if was false" }],
      ["done", "completed", null],
    ]);
  });

  it("records compensation: compensated steps, and events that come after the end", async () => {
    const { store, record } = await setup();
    await record("ex-4", "execution.started", { pipeline: "order", step_count: 2 });
    await record("ex-4", "step.started", { step_name: "reserve", index: 0 });
    await record("ex-4", "step.completed", { step_name: "reserve", elapsed: 2 });
    await record("ex-4", "step.started", { step_name: "charge", index: 1 });
    await record("ex-4", "step.failed", { step_name: "charge", error: "declined", elapsed: 2 });
    await record("ex-4", "saga.compensating", { failed_step: "charge" });
    await record("ex-4", "step.compensated", { step_name: "release" });
    await record("ex-4", "execution.failed", {
      error: "declined (compensation executed)",
      elapsed: 9,
    });
    await record("ex-4", "saga.compensated", { steps: 1 });
    await store.flush();

    const found = await store.getExecution("ex-4");
    expect(found?.steps.map((s) => [s.step_name, s.status])).toEqual([
      ["reserve", "completed"],
      ["charge", "failed"],
      ["release", "compensated"],
    ]);
    expect(found?.events.map((e) => e.event_type).slice(-2)).toEqual([
      "execution.failed",
      "saga.compensated",
    ]);
    expect(found?.events.at(-1)?.sequence_num).toBe(9);
    // Recorded 1 ms after the end, as the clock said.
    expect(found?.events.at(-1)?.created_at).toBe(at(9));
  });

  it("records through one handle per execution as through recordEvent, late events included", async () => {
    const { store, clock } = await setup({ recordData: "all" });
    const events = store.eventsOf("ex-h");
    const tick = () => {
      clock.now += 1;
    };
    for (const [type, data] of [
      ["execution.started", { pipeline: "p", step_count: 1, trigger_data: { n: 1 } }],
      ["step.started", { step_name: "a", index: 0 }],
      ["step.completed", { step_name: "a", elapsed: 1, output: { ok: true } }],
      ["execution.failed", { error: "boom", elapsed: 3 }],
      ["saga.compensated", { errors: [] }],
    ] as const) {
      tick();
      events(type, data);
    }
    await store.flush();
    const found = await store.getExecution("ex-h");
    expect(found?.execution).toMatchObject({ status: "failed", trigger_data: { n: 1 } });
    expect(found?.steps).toMatchObject([{ step_name: "a", output: { ok: true } }]);
    expect(found?.events.map((e) => [e.sequence_num, e.event_type, e.created_at])).toEqual([
      [1, "execution.started", at(1)],
      [2, "step.started", at(2)],
      [3, "step.completed", at(3)],
      [4, "execution.failed", at(4)],
      [5, "saga.compensated", at(5)],
    ]);
  });

  it("reads rows whose event times are epoch ms (written before offsets were)", async () => {
    const { db, store } = await setup();
    await db.execute(
      "INSERT INTO wfctl_executions (id, pipeline, status, started_at, completed_at, duration_ms, events) VALUES ($1, $2, $3, $4, $5, $6, $7)",
      [
        "old",
        "p",
        "completed",
        at(1),
        at(5),
        4,
        JSON.stringify([
          [1, "execution.started", { pipeline: "p", trigger_data: {} }, T0 + 1],
          [2, "step.started", { step_name: "a" }, T0 + 2],
          [3, "step.completed", { step_name: "a", output: { x: 1 } }, T0 + 4],
          [4, "execution.completed", { pipeline: "p" }, T0 + 5],
        ]),
      ],
    );
    const found = await store.getExecution("old");
    expect(found?.steps).toMatchObject([
      { step_name: "a", started_at: at(2), completed_at: at(4), output: { x: 1 } },
    ]);
    expect(found?.events.map((e) => e.created_at)).toEqual([at(1), at(2), at(4), at(5)]);
  });

  /** An execution of one step with trigger data and outputs, ended by `end`. */
  const recordWithData = async (
    record: (id: string, type: string, data?: Record<string, unknown>) => Promise<void>,
    id: string,
    end: "execution.completed" | "execution.failed" | "execution.cancelled",
    started: Record<string, unknown> = {},
  ) => {
    await record(id, "execution.started", {
      pipeline: "p",
      step_count: 1,
      trigger_type: "http",
      trigger_data: { body: { email: "ada@example.com" } },
      ...started,
    });
    await record(id, "step.started", { step_name: "lookup", step_type: "step.set", index: 0 });
    await record(id, "step.completed", {
      step_name: "lookup",
      elapsed: 1,
      output: { customer: "ada" },
    });
    await record(
      id,
      end,
      end === "execution.completed"
        ? { pipeline: "p", elapsed: 3, output: { done: true } }
        : { error: "boom", elapsed: 3 },
    );
  };

  it("by default writes a completed execution without its data: steps, timings and events stay", async () => {
    const { store, record } = await setup();
    await recordWithData(record, "ok", "execution.completed");
    await store.flush();

    const found = await store.getExecution("ok");
    expect(found?.execution).toMatchObject({
      status: "completed",
      data_recorded: false,
      trigger_data: null,
      output: null,
      duration_ms: 3,
    });
    expect(found?.steps).toMatchObject([
      { step_name: "lookup", step_type: "step.set", status: "completed", output: null },
    ]);
    expect(found?.events.map((e) => e.event_type)).toEqual([
      "execution.started",
      "step.started",
      "step.completed",
      "execution.completed",
    ]);
    expect(found?.events[0]?.event_data).toEqual({
      pipeline: "p",
      step_count: 1,
      trigger_type: "http",
      data_recorded: false,
    });
    expect(JSON.stringify(found)).not.toMatch(/ada|done/);
  });

  it("by default keeps the data of failed, cancelled and traced executions", async () => {
    const { store, record } = await setup();
    await recordWithData(record, "bad", "execution.failed");
    await recordWithData(record, "stopped", "execution.cancelled");
    await recordWithData(record, "traced", "execution.completed", { trace: true });
    await store.flush();

    for (const id of ["bad", "stopped", "traced"]) {
      const found = await store.getExecution(id);
      expect(found?.execution).toMatchObject({
        data_recorded: true,
        trigger_data: { body: { email: "ada@example.com" } },
      });
      expect(found?.steps[0]?.output).toEqual({ customer: "ada" });
    }
    expect((await store.getExecution("traced"))?.execution.output).toEqual({ done: true });
  });

  it("with record_data=none keeps nobody's data, and an event after the end follows its execution", async () => {
    const { store, record } = await setup({ recordData: "none" });
    await recordWithData(record, "bad", "execution.failed", { trace: true });
    await record("bad", "step.compensated", { step_name: "undo", output: { refunded: "ada" } });
    await store.flush();

    const found = await store.getExecution("bad");
    expect(found?.execution).toMatchObject({
      status: "failed",
      error: "boom",
      data_recorded: false,
      trigger_data: null,
    });
    expect(found?.events.map((e) => e.event_type).at(-1)).toBe("step.compensated");
    expect(JSON.stringify(found)).not.toContain("ada");
  });

  it("a reload's record_data applies to executions that end after it", async () => {
    const { store, record } = await setup();
    await record("before", "execution.started", { pipeline: "p", trigger_data: { n: 1 } });
    await store.reconfigure({ recordData: "all" });
    await record("before", "execution.completed", { pipeline: "p", elapsed: 1 });
    await store.flush();
    expect((await store.getExecution("before"))?.execution.trigger_data).toEqual({ n: 1 });
  });

  it("never writes credentials: credential headers and secret-named keys are masked", async () => {
    const { store, record } = await setup({ recordData: "all" });
    await record("ex", "execution.started", {
      pipeline: "p",
      trigger_data: {
        headers: { authorization: "Bearer s3cret", cookie: "sid=1", accept: "*/*" },
        password: "pw",
      },
    });
    await record("ex", "step.completed", {
      step_name: "login",
      output: { api_token: "t-1", user: "ada" },
    });
    await record("ex", "execution.failed", { error: "boom" });
    await record("ex", "step.compensated", {
      step_name: "logout",
      output: { session_secret: "x-9" },
    });
    await store.flush();
    const written = JSON.stringify(await store.getExecution("ex"));
    for (const secret of ["s3cret", "sid=1", '"pw"', "t-1", "x-9"]) {
      expect(written).not.toContain(secret);
    }
    expect(written).toContain('"accept":"*/*"');
    expect(written).toContain('"user":"ada"');
    expect(written).toContain("(sensitive)");
  });

  it("with record=failed writes only failed executions", async () => {
    const { store, record } = await setup({ record: "failed" });
    await record("ok", "execution.started", { pipeline: "p", step_count: 0 });
    await record("ok", "execution.completed", { pipeline: "p", elapsed: 1 });
    await record("bad", "execution.started", { pipeline: "p", step_count: 0 });
    await record("bad", "execution.failed", { error: "boom", elapsed: 1 });
    await record("stopped", "execution.started", { pipeline: "p", step_count: 0 });
    await record("stopped", "execution.cancelled", {});
    await store.flush();
    expect((await store.listExecutions()).map((e) => e.id)).toEqual(["bad"]);
  });

  it("with record=none writes nothing", async () => {
    const { store, record } = await setup({ record: "none" });
    await record("bad", "execution.started", { pipeline: "p", step_count: 0 });
    await record("bad", "execution.failed", { error: "boom", elapsed: 1 });
    await store.flush();
    expect(await store.listExecutions()).toEqual([]);
  });

  it("retention deletes finished executions older than it, with their steps and events, on start", async () => {
    const day = 24 * 60 * 60 * 1000;
    const { db, store, record, clock } = await setup({ retention: day });
    const run = async (id: string) => {
      await record(id, "execution.started", { pipeline: "p", step_count: 1 });
      await record(id, "step.started", { step_name: "s", index: 0 });
      await record(id, "step.completed", { step_name: "s", elapsed: 1 });
      await record(id, "execution.completed", { pipeline: "p", elapsed: 3 });
    };
    await run("old");
    clock.now += 2 * day;
    await run("recent");
    await store.flush();
    await store.start();

    expect((await store.listExecutions()).map((e) => e.id)).toEqual(["recent"]);
    expect(await store.getExecution("old")).toBeUndefined();
    const count = async () =>
      Number((await db.query("SELECT count(*) AS n FROM wfctl_executions"))[0]?.n);
    expect(await count()).toBe(1);
    expect((await store.getExecution("recent"))?.events).toHaveLength(4);
    // Purging again later removes the one that has aged since.
    clock.now += 2 * day;
    expect(await store.purge()).toBe(1);
    expect(await count()).toBe(0);
  });

  it("lists newest first, filtered by pipeline, status and time, up to a limit", async () => {
    const { store, record, clock } = await setup();
    const plan = [
      ["a1", "alpha", "execution.completed"],
      ["b1", "beta", "execution.failed"],
      ["a2", "alpha", "execution.failed"],
      ["b2", "beta", "execution.completed"],
      ["a3", "alpha", "execution.completed"],
    ] as const;
    for (const [id, pipeline, end] of plan) {
      await record(
        id,
        "execution.started",
        { pipeline, step_count: 0, trigger_type: "http" },
        1000,
      );
      await record(id, end, { pipeline, error: "boom", elapsed: 1 });
    }
    await store.flush();

    const ids = async (filter?: Parameters<ExecutionStore["listExecutions"]>[0]) =>
      (await store.listExecutions(filter)).map((e) => e.id);
    expect(await ids()).toEqual(["a3", "b2", "a2", "b1", "a1"]);
    expect(await ids({ pipeline: "alpha" })).toEqual(["a3", "a2", "a1"]);
    expect(await ids({ status: "failed" })).toEqual(["a2", "b1"]);
    expect(await ids({ pipeline: "alpha", status: "completed", limit: 1 })).toEqual(["a3"]);
    const [third] = await store.listExecutions({ limit: 1, before: at(3003) });
    expect(third?.id).toBe("a2");
    expect(await ids({ before: third?.started_at })).toEqual(["b1", "a1"]);
    expect(third).toEqual({
      id: "a2",
      pipeline: "alpha",
      status: "failed",
      trigger_type: "http",
      started_at: at(3002),
      completed_at: at(3003),
      duration_ms: 1,
      error: "boom",
      tenant_id: null,
    });
    expect(clock.now).toBe(T0 + 5005);
    await expect(store.listExecutions({ before: "yesterday" })).rejects.toSatisfy(
      (e: unknown) => WfError.is(e) && e.code === "WF_ERR_USAGE",
    );
    await expect(store.listExecutions({ limit: 0 })).rejects.toThrow(/limit/);
  });

  it("writes an ended execution shortly after, without a flush", async () => {
    const { store, record } = await setup({ flushIntervalMs: 5 });
    await record("ex", "execution.started", { pipeline: "p", step_count: 0 });
    await record("ex", "execution.completed", { pipeline: "p", elapsed: 1 });
    await expect.poll(() => store.getExecution("ex"), { timeout: 2000 }).toBeDefined();
  });

  it("does not write until flush, and close writes unfinished executions as cancelled", async () => {
    const { store, record } = await setup({ flushIntervalMs: 60_000 });
    await record("done", "execution.started", { pipeline: "p", step_count: 1 });
    await record("done", "execution.completed", { pipeline: "p", elapsed: 1 });
    await record("open", "execution.started", { pipeline: "p", step_count: 2 });
    await record("open", "step.started", { step_name: "slow", index: 0 });
    expect(await store.listExecutions()).toEqual([]);
    await store.flush();
    expect((await store.listExecutions()).map((e) => e.id)).toEqual(["done"]);

    await store.close();
    const open = await store.getExecution("open");
    expect(open?.execution).toMatchObject({
      status: "cancelled",
      error: "the execution store closed before the execution ended",
    });
    expect(open?.steps).toMatchObject([{ step_name: "slow", status: "failed" }]);
    // Closed: later events are ignored.
    await record("late", "execution.started", { pipeline: "p", step_count: 0 });
    await record("late", "execution.completed", { pipeline: "p", elapsed: 1 });
    await store.flush();
    expect(await store.getExecution("late")).toBeUndefined();
  });

  it("records 200 concurrent executions, each with its own steps and events", async () => {
    const { store } = await setup({ recordData: "all" });
    const pause = () => new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
    const execute = async (n: number) => {
      const id = `ex-${n}`;
      const fails = n % 10 === 0;
      await store.recordEvent(id, "execution.started", { pipeline: `p${n % 3}`, step_count: 3 });
      for (const step of ["a", "b", "c"]) {
        await pause();
        await store.recordEvent(id, "step.started", { step_name: step, index: 0 });
        await pause();
        if (fails && step === "c") {
          await store.recordEvent(id, "step.failed", {
            step_name: step,
            error: `e${n}`,
            elapsed: 1,
          });
          await store.recordEvent(id, "execution.failed", { error: `e${n}`, elapsed: 5 });
          return;
        }
        await store.recordEvent(id, "step.completed", {
          step_name: step,
          elapsed: 1,
          output: { n },
        });
      }
      await store.recordEvent(id, "execution.completed", { pipeline: `p${n % 3}`, elapsed: 5 });
    };
    await Promise.all(Array.from({ length: 200 }, (_, n) => execute(n)));
    await store.flush();

    const all = await store.listExecutions({ limit: 1000 });
    expect(all).toHaveLength(200);
    expect(all.filter((e) => e.status === "failed")).toHaveLength(20);
    for (const n of [0, 7, 199]) {
      const found = await store.getExecution(`ex-${n}`);
      expect(found?.execution.pipeline).toBe(`p${n % 3}`);
      expect(found?.steps.map((s) => s.status)).toEqual(
        n % 10 === 0
          ? ["completed", "completed", "failed"]
          : ["completed", "completed", "completed"],
      );
      expect(found?.steps[0]?.output).toEqual({ n });
      expect(found?.events).toHaveLength(8);
    }
  });

  it("stores values JSON cannot represent as near as it can", async () => {
    const { store, record } = await setup({ recordData: "all" });
    const circular: Record<string, unknown> = { name: "loop", big: 10n };
    circular.self = circular;
    await record("ex", "execution.started", {
      pipeline: "p",
      step_count: 0,
      trigger_data: circular,
    });
    await record("ex", "execution.completed", { pipeline: "p", elapsed: 1 });
    await store.flush();
    expect((await store.getExecution("ex"))?.execution.trigger_data).toEqual({
      name: "loop",
      big: "10",
      self: "[Circular]",
    });
  });

  it("never fails the pipeline when the database cannot record: it logs instead", async () => {
    const { store, record, lines } = await setup({}, false);
    await expect(store.start()).rejects.toSatisfy(
      (e: unknown) =>
        WfError.is(e) && e.code === "WF_ERR_DATABASE" && /wfctl_executions/.test(e.message),
    );
    await expect(
      record("ex", "execution.started", { pipeline: "p", step_count: 0 }),
    ).resolves.toBeUndefined();
    await record("ex", "execution.completed", { pipeline: "p", elapsed: 1 });
    await store.flush();
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: "error",
        msg: "execution store: could not record 1 execution",
      }),
    );
  });
}
