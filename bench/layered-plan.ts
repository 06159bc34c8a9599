import type { IaCPlan, PlanAction } from "../src/contracts/index.js";

/** The apply benches' DAG: 6 layers × 10 resources, each depending on 2 of the layer before. */
export const LAYERS = 6;
export const WIDTH = 10;

export function layeredPlan(): IaCPlan {
  const actions: PlanAction[] = [];
  for (let layer = 0; layer < LAYERS; layer++) {
    for (let j = 0; j < WIDTH; j++) {
      const deps = layer === 0 ? [] : [`r${layer - 1}-${j}`, `r${layer - 1}-${(j + 1) % WIDTH}`];
      actions.push({
        action: "create",
        resource: {
          name: `r${layer}-${j}`,
          type: "infra.compute",
          config: { layer },
          ...(deps.length > 0 ? { depends_on: deps } : {}),
        },
      });
    }
  }
  return { id: "plan-bench", actions, created_at: new Date().toISOString() };
}

/** The makespan no scheduler can beat: max(critical path, ⌈60 / parallelism⌉) driver calls. */
export function makespanBoundMs(parallelism: number, latencyMs: number): number {
  return Math.max(LAYERS, Math.ceil((LAYERS * WIDTH) / parallelism)) * latencyMs;
}
