// Apply makespan of a 60-resource DAG (6 layers × 10, each resource depending on 2 of
// the layer before) with 200 ms per driver call, against its lower bound
// max(critical path, ceil(60 / parallelism)) × 200 ms. Targets: ≤ 1.2× at parallelism
// 10, ≤ 1.25× at parallelism 4. Runs with the in-memory store (test double) and the
// filesystem store (durable after each action).
import { mkdtempSync, rmSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { applyPlan } from "../src/iac/apply/index.js";
import { ProviderSet } from "../src/iac/provider-set.js";
import { openFilesystemStore } from "../src/iac/state/filesystem/index.js";
import type { StateStore } from "../src/iac/state/state-store.js";
import { FakeCloudProvider } from "../test/doubles/fake-cloud-provider.js";
import { MemoryStateStore } from "../test/doubles/memory-state-store.js";
import { layeredPlan, makespanBoundMs } from "./layered-plan.js";

const LATENCY_MS = 200;
const RUNS = 3;

const stores: Record<string, () => Promise<{ store: StateStore; cleanup: () => void }>> = {
  memory: async () => ({ store: new MemoryStateStore(), cleanup: () => {} }),
  filesystem: async () => {
    const directory = mkdtempSync(path.join(tmpdir(), "wfctl-apply-bench-"));
    const store = await openFilesystemStore({
      directory,
      identity: { user: "bench", host: hostname(), pid: process.pid, command: "apply.bench" },
    });
    return {
      store,
      cleanup: () => rmSync(directory, { recursive: true, force: true }),
    };
  },
};

const plan = layeredPlan();
const providerOf = Object.fromEntries(plan.actions.map((a) => [a.resource.name, "cloud"]));

for (const parallelism of [10, 4]) {
  const boundMs = makespanBoundMs(parallelism, LATENCY_MS);
  for (const [storeName, open] of Object.entries(stores)) {
    const makespans: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const cloud = new FakeCloudProvider();
      await cloud.initialize({ latency_ms: LATENCY_MS });
      const { store, cleanup } = await open();
      const started = performance.now();
      const result = await applyPlan({
        plan,
        providerOf,
        providers: ProviderSet.of({ cloud }),
        store,
        parallelism,
        environ: {},
      });
      makespans.push(performance.now() - started);
      await store.close();
      cleanup();
      if ((result.errors ?? []).length > 0) throw new Error(JSON.stringify(result.errors));
    }
    makespans.sort((a, b) => a - b);
    const median = makespans[Math.floor(makespans.length / 2)]!;
    console.log(
      `apply 60-resource DAG p=${String(parallelism).padEnd(2)} ${storeName.padEnd(10)} makespan median ${median.toFixed(0)} ms (min ${makespans[0]!.toFixed(0)}, ${RUNS} runs)  bound ${boundMs} ms  ratio ${(median / boundMs).toFixed(3)}`,
    );
  }
}
