// An IaC provider behind the plugin wire (the fake-cloud provider served as a plugin,
// test/doubles/fake-cloud-plugin) against the same provider in process:
// 1. driver call overhead: 2,000 driver.read calls, 10 in flight at any time; the
//    overhead is the wall time per call remote minus in process (target < 0.5 ms);
//    each call's latency is printed too (with 10 in flight, one waits behind the others);
// 2. apply makespan of bench/apply.bench.ts's 60-resource DAG (200 ms per driver call)
//    through the plugin at parallelism 10, against its lower bound (target ≤ 1.25×).
import { fileURLToPath } from "node:url";
import type { IaCProvider, ResourceRef } from "../src/contracts/index.js";
import { applyPlan } from "../src/iac/apply/index.js";
import { ProviderSet } from "../src/iac/provider-set.js";
import { readPluginManifest } from "../src/plugins/plugin-manifest.js";
import { RemoteProvider } from "../src/plugins/remote-provider.js";
import { FakeCloudProvider } from "../test/doubles/fake-cloud-provider.js";
import { MemoryStateStore } from "../test/doubles/memory-state-store.js";
import { layeredPlan, makespanBoundMs } from "./layered-plan.js";

const CALLS = 2_000;
const IN_FLIGHT = 10;
const LATENCY_MS = 200;
const PARALLELISM = 10;

const dir = fileURLToPath(new URL("../test/doubles/fake-cloud-plugin/", import.meta.url));
const plugin = { dir, manifest: readPluginManifest(dir) };

const quantile = (sorted: readonly number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;

/** The resource the reads read. */
async function created(provider: IaCProvider): Promise<ResourceRef> {
  const driver = provider.resourceDriver("infra.vpc");
  const output = await driver.create({ name: "bench-vpc", type: "infra.vpc", config: {} });
  return { name: "bench-vpc", type: "infra.vpc", provider_id: output.provider_id };
}

/** CALLS driver.read calls of `ref`, IN_FLIGHT at a time: each one's latency, and the wall time. */
async function reads(
  provider: IaCProvider,
  ref: ResourceRef,
): Promise<{ latencies: number[]; wallMs: number }> {
  const driver = provider.resourceDriver("infra.vpc");
  const latencies: number[] = [];
  const wallStart = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next++ < CALLS) {
        const started = performance.now();
        await driver.read(ref);
        latencies.push(performance.now() - started);
      }
    }),
  );
  return { latencies: latencies.sort((a, b) => a - b), wallMs: performance.now() - wallStart };
}

async function started(
  make: () => IaCProvider,
  config: Record<string, unknown>,
): Promise<IaCProvider> {
  const provider = make();
  await provider.initialize(config);
  return provider;
}

const local = await started(() => new FakeCloudProvider(), {});
const remote = await started(() => new RemoteProvider(plugin), {});
try {
  const localRef = await created(local);
  const remoteRef = await created(remote);
  // Warm both paths (JIT, the plugin's first answers) before measuring.
  await reads(local, localRef);
  await reads(remote, remoteRef);
  const inProcess = await reads(local, localRef);
  const overWire = await reads(remote, remoteRef);
  const latency = (r: { latencies: number[] }) =>
    `p50 ${quantile(r.latencies, 0.5).toFixed(3)} ms p99 ${quantile(r.latencies, 0.99).toFixed(3)} ms`;
  console.log(
    `driver.read, ${CALLS} calls, ${IN_FLIGHT} in flight: in process ${latency(inProcess)}, ${(inProcess.wallMs / CALLS).toFixed(3)} ms per call; plugin ${latency(overWire)} (each waits behind the others in flight), ${(overWire.wallMs / CALLS).toFixed(3)} ms per call`,
  );
  // The cost a call adds to a run making them 10 at a time: wall time per call.
  const overhead = (overWire.wallMs - inProcess.wallMs) / CALLS;
  console.log(
    `remote driver call overhead        ${overhead.toFixed(3)} ms per call  ${overhead < 0.5 ? "ok" : "MISSED"}  (target < 0.5 ms at ${IN_FLIGHT} concurrent calls: the difference in wall time per call)`,
  );
} finally {
  await local.close();
  await remote.close();
}

// The DAG apply through the plugin: the engine's scheduling plus the wire, no more.
const cloud = await started(() => new RemoteProvider(plugin), { latency_ms: LATENCY_MS });
try {
  const plan = layeredPlan();
  const started_ = performance.now();
  const result = await applyPlan({
    plan,
    providerOf: Object.fromEntries(plan.actions.map((a) => [a.resource.name, "cloud"])),
    providers: ProviderSet.of({ cloud }),
    store: new MemoryStateStore(),
    parallelism: PARALLELISM,
    environ: {},
  });
  const makespan = performance.now() - started_;
  if ((result.errors ?? []).length > 0) throw new Error(JSON.stringify(result.errors));
  const bound = makespanBoundMs(PARALLELISM, LATENCY_MS);
  const ratio = makespan / bound;
  console.log(
    `apply 60-resource DAG through the plugin p=${PARALLELISM}  makespan ${makespan.toFixed(0)} ms  bound ${bound} ms  ratio ${ratio.toFixed(3)}  ${ratio <= 1.25 ? "ok" : "MISSED"}  (target ≤ 1.25)`,
  );
} finally {
  await cloud.close();
}
