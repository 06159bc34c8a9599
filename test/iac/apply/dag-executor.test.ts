import { describe, expect, it } from "vitest";
import {
  DagCycleError,
  type DagSkip,
  type DagTask,
  executeDag,
} from "../../../src/iac/apply/index.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const tasks = (...deps: number[][]): DagTask[] => deps.map((dependsOn) => ({ dependsOn }));

/** A run function that logs starts and ends, sleeps `ms`, and fails the listed tasks. */
function recorder(ms = 5, failing: readonly number[] = []) {
  const log: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const run = async (i: number) => {
    log.push(`start ${i}`);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await sleep(ms);
    inFlight--;
    log.push(`end ${i}`);
    return !failing.includes(i);
  };
  return { log, run, max: () => maxInFlight };
}

describe("executeDag", () => {
  it("starts a task only after every task it depends on has ended", async () => {
    // 0 → 1 → 3, 0 → 2 → 3
    const r = recorder();
    const results = await executeDag(tasks([], [0], [0], [1, 2]), r.run, { parallelism: 4 });
    expect(results.every((x) => x.state === "succeeded")).toBe(true);
    const at = (e: string) => r.log.indexOf(e);
    expect(at("start 1")).toBeGreaterThan(at("end 0"));
    expect(at("start 2")).toBeGreaterThan(at("end 0"));
    expect(at("start 3")).toBeGreaterThan(Math.max(at("end 1"), at("end 2")));
    // 1 and 2 overlap: a task does not wait for tasks it does not depend on.
    expect(at("start 2")).toBeLessThan(at("end 1"));
  });

  it("keeps at most `parallelism` tasks in flight, and uses all of them", async () => {
    const r = recorder(10);
    await executeDag(tasks(...Array.from({ length: 12 }, () => [])), r.run, { parallelism: 3 });
    expect(r.max()).toBe(3);
    expect(r.log.filter((e) => e.startsWith("start"))).toHaveLength(12);
  });

  it("blocks only the transitive dependents of a failed task, naming it", async () => {
    // 0 fails; 1 needs 0; 2 needs 1; 3 is independent; 4 needs 3.
    const r = recorder(5, [0]);
    const skips: [number, DagSkip][] = [];
    const results = await executeDag(tasks([], [0], [1], [], [3]), r.run, {
      parallelism: 2,
      onSkip: (i, s) => skips.push([i, s]),
    });
    expect(results).toEqual([
      { state: "failed" },
      { state: "blocked", by: 0 },
      { state: "blocked", by: 0 },
      { state: "succeeded" },
      { state: "succeeded" },
    ]);
    expect(r.log).not.toContain("start 1");
    expect(skips.map(([i]) => i).sort()).toEqual([1, 2]);
  });

  it("counts a rejected run as a failure and keeps its error", async () => {
    const boom = new Error("boom");
    const results = await executeDag(
      tasks([], [0]),
      async (i) => {
        if (i === 0) throw boom;
        return true;
      },
      { parallelism: 1 },
    );
    expect(results).toEqual([
      { state: "failed", error: boom },
      { state: "blocked", by: 0 },
    ]);
  });

  it("on abort starts nothing new, lets in-flight tasks finish, interrupts the rest", async () => {
    const controller = new AbortController();
    const r = recorder(30);
    const run = async (i: number) => {
      if (i === 1) setTimeout(() => controller.abort(), 5);
      return r.run(i);
    };
    // Two roots run first (parallelism 2); their dependents never start.
    const results = await executeDag(tasks([], [], [0], [1], []), run, {
      parallelism: 2,
      signal: controller.signal,
    });
    expect(results.slice(0, 2)).toEqual([{ state: "succeeded" }, { state: "succeeded" }]);
    expect(results.slice(2)).toEqual([
      { state: "interrupted" },
      { state: "interrupted" },
      { state: "interrupted" },
    ]);
    expect(r.log).toEqual(["start 0", "start 1", "end 0", "end 1"]);
  });

  it("runs nothing when the signal is already aborted", async () => {
    const r = recorder();
    const results = await executeDag(tasks([], [0]), r.run, {
      parallelism: 2,
      signal: AbortSignal.abort(),
    });
    expect(results).toEqual([{ state: "interrupted" }, { state: "interrupted" }]);
    expect(r.log).toEqual([]);
  });

  it("refuses a cycle before running anything, naming its members", async () => {
    const r = recorder();
    const run = executeDag(tasks([], [2], [3], [1]), r.run, { parallelism: 2 });
    await expect(run).rejects.toBeInstanceOf(DagCycleError);
    const err = await run.catch((e: DagCycleError) => e);
    expect([...(err as DagCycleError).cycle].sort()).toEqual([1, 2, 3]);
    expect(r.log).toEqual([]);
  });

  it("starts the task with the longest chain behind it first", async () => {
    // With one slot: 1 heads a chain (1 → 2), 0 stands alone, so 1 goes first.
    const r = recorder(1);
    await executeDag(tasks([], [], [1]), r.run, { parallelism: 1 });
    expect(r.log.filter((e) => e.startsWith("start"))).toEqual(["start 1", "start 0", "start 2"]);
  });

  it("resolves at once for no tasks and rejects a bad parallelism", async () => {
    expect(await executeDag([], async () => true, { parallelism: 1 })).toEqual([]);
    await expect(executeDag([], async () => true, { parallelism: 0 })).rejects.toThrow(
      /parallelism/,
    );
  });
});
