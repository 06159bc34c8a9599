import { type ErrorCode, WfError } from "../../diagnostics/index.js";

/**
 * Dependencies-first order of the nodes reachable from `seeds`: a depth-first walk
 * seeded in the given order (so independent nodes keep it), iterative so a
 * 10,000-long chain cannot overflow the stack. Dependencies that are not nodes are
 * ignored. A cycle throws `<prefix>: a -> b -> a` with `code`.
 */
export function dependencyOrder(
  seeds: Iterable<string>,
  dependencies: ReadonlyMap<string, readonly string[]>,
  cycle: { readonly code: ErrorCode; readonly prefix: string },
): string[] {
  const DONE = 2;
  const VISITING = 1;
  const marks = new Map<string, number>();
  const order: string[] = [];
  const path: { name: string; deps: readonly string[]; next: number }[] = [];
  const enter = (name: string, deps: readonly string[]) => {
    marks.set(name, VISITING);
    path.push({ name, deps, next: 0 });
  };
  for (const seed of seeds) {
    const seedDeps = dependencies.get(seed);
    if (seedDeps === undefined || marks.has(seed)) continue;
    enter(seed, seedDeps);
    while (path.length > 0) {
      const top = path[path.length - 1]!;
      if (top.next === top.deps.length) {
        marks.set(top.name, DONE);
        order.push(top.name);
        path.pop();
        continue;
      }
      const dep = top.deps[top.next++]!;
      const deps = dependencies.get(dep);
      const mark = marks.get(dep);
      if (deps === undefined || mark === DONE) continue;
      if (mark === VISITING) {
        const members = path.slice(path.findIndex((f) => f.name === dep)).map((f) => f.name);
        throw new WfError(cycle.code, `${cycle.prefix}: ${[...members, dep].join(" -> ")}`);
      }
      enter(dep, deps);
    }
  }
  return order;
}
