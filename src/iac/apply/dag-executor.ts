import { ReadyQueue } from "./ready-queue.js";

/**
 * A generic executor for tasks over a dependency graph (apply's scheduler, kept free
 * of IaC types so it can be tested on its own). A task starts as soon as every task
 * it depends on has succeeded, with at most `parallelism` in flight. A failure
 * blocks only the failed task's transitive dependents; independent branches go on.
 * On abort nothing new starts, in-flight tasks run to the end, the rest are
 * interrupted.
 */

export interface DagTask {
  /** Indices of the tasks this one needs to have succeeded first. */
  readonly dependsOn: readonly number[];
}

export type DagSkip =
  /** A task it depends on (directly or not) failed; `by` is that failed task. */
  | { readonly state: "blocked"; readonly by: number }
  /** The run was aborted before this task could start. */
  | { readonly state: "interrupted" };

export type DagTaskResult =
  | { readonly state: "succeeded" }
  /** `run` resolved false, or rejected with `error`. */
  | { readonly state: "failed"; readonly error?: unknown }
  | DagSkip;

export interface DagOptions {
  readonly parallelism: number;
  readonly signal?: AbortSignal;
  /** Told as soon as a task is known never to run, so progress can be shown live. */
  readonly onSkip?: (index: number, skip: DagSkip) => void;
}

/** The graph has a cycle; `cycle` lists its members, each depending on the next. */
export class DagCycleError extends Error {
  readonly cycle: readonly number[];

  constructor(cycle: readonly number[]) {
    super(`dependency cycle among tasks ${cycle.join(" → ")} → ${cycle[0]}`);
    this.name = "DagCycleError";
    this.cycle = cycle;
  }
}

/**
 * Runs every task once (or skips it) and resolves with one result per task, by index.
 * `run` resolves true on success. Rejects before starting anything when the graph is
 * malformed (an index out of range, or a cycle: {@link DagCycleError}).
 */
export async function executeDag(
  tasks: readonly DagTask[],
  run: (index: number) => Promise<boolean>,
  options: DagOptions,
): Promise<DagTaskResult[]> {
  const { parallelism, signal, onSkip } = options;
  if (!Number.isInteger(parallelism) || parallelism < 1) {
    throw new RangeError(`parallelism must be a positive integer, got ${parallelism}`);
  }
  const graph = buildGraph(tasks);
  const results: (DagTaskResult | undefined)[] = tasks.map(() => undefined);
  const unmet = graph.deps.map((d) => d.length);
  const running = new Set<number>();
  const ready = new ReadyQueue(graph.rank);
  unmet.forEach((count, i) => {
    if (count === 0) ready.push(i);
  });

  return new Promise((resolve) => {
    let finished = false;
    const skip = (i: number, s: DagSkip) => {
      results[i] = s;
      onSkip?.(i, s);
    };
    const interruptWaiting = () => {
      results.forEach((r, i) => {
        if (r === undefined && !running.has(i)) skip(i, { state: "interrupted" });
      });
    };
    const block = (root: number) => {
      const stack = [...graph.dependents[root]!];
      for (let d = stack.pop(); d !== undefined; d = stack.pop()) {
        if (results[d] !== undefined) continue;
        skip(d, { state: "blocked", by: root });
        stack.push(...graph.dependents[d]!);
      }
    };
    const pump = () => {
      if (finished) return;
      if (signal?.aborted) interruptWaiting();
      while (!signal?.aborted && running.size < parallelism) {
        const next = ready.pop();
        if (next === undefined) break;
        start(next);
      }
      if (running.size === 0 && (signal?.aborted || ready.size === 0)) {
        finished = true;
        signal?.removeEventListener("abort", pump);
        resolve(results as DagTaskResult[]);
      }
    };
    const settle = (i: number, result: DagTaskResult) => {
      running.delete(i);
      results[i] = result;
      if (result.state === "succeeded") {
        for (const d of graph.dependents[i]!) {
          unmet[d] = unmet[d]! - 1;
          if (unmet[d] === 0 && results[d] === undefined) ready.push(d);
        }
      } else {
        block(i);
      }
      pump();
    };
    const start = (i: number) => {
      running.add(i);
      Promise.resolve()
        .then(() => run(i))
        .then(
          (ok) => settle(i, ok ? { state: "succeeded" } : { state: "failed" }),
          (error: unknown) => settle(i, { state: "failed", error }),
        );
    };
    signal?.addEventListener("abort", pump, { once: true });
    pump();
  });
}

interface Graph {
  readonly deps: readonly (readonly number[])[];
  readonly dependents: readonly number[][];
  /** Longest dependency chain starting at each task (1 for a task nothing waits on). */
  readonly rank: readonly number[];
}

function buildGraph(tasks: readonly DagTask[]): Graph {
  const deps = tasks.map((task, i) => {
    for (const d of task.dependsOn) {
      if (!Number.isInteger(d) || d < 0 || d >= tasks.length) {
        throw new RangeError(`task ${i} depends on task ${d}, which does not exist`);
      }
    }
    return [...new Set(task.dependsOn)];
  });
  const dependents: number[][] = tasks.map(() => []);
  deps.forEach((ds, i) => {
    for (const d of ds) dependents[d]!.push(i);
  });

  // Kahn's algorithm: a topological order, or the proof of a cycle.
  const unmet = deps.map((d) => d.length);
  const order: number[] = [];
  unmet.forEach((count, i) => {
    if (count === 0) order.push(i);
  });
  for (let k = 0; k < order.length; k++) {
    for (const d of dependents[order[k]!]!) {
      unmet[d] = unmet[d]! - 1;
      if (unmet[d] === 0) order.push(d);
    }
  }
  if (order.length < tasks.length) throw new DagCycleError(cycleAmong(deps, unmet));

  const rank = tasks.map(() => 1);
  for (let k = order.length - 1; k >= 0; k--) {
    const i = order[k]!;
    for (const d of deps[i]!) rank[d] = Math.max(rank[d]!, rank[i]! + 1);
  }
  return { deps, dependents, rank };
}

/**
 * Members of one cycle. Every task Kahn could not order still has an unordered
 * dependency, so following those from any such task must come back on itself.
 */
function cycleAmong(deps: readonly (readonly number[])[], unmet: readonly number[]): number[] {
  const path: number[] = [];
  const seenAt = new Map<number, number>();
  let i = unmet.findIndex((count) => count > 0);
  while (!seenAt.has(i)) {
    seenAt.set(i, path.length);
    path.push(i);
    i = deps[i]!.find((d) => unmet[d]! > 0)!;
  }
  return path.slice(seenAt.get(i));
}
