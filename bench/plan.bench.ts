// Plan of 10,000 resources with an instant in-process driver (the FakeCloud test double,
// no latency): all in state (10,000 Diffs, no changes) and all new (10,000 creates).
// Targets (issue 3): under 1.5 s and under 400 MB RSS each.
import type { ResourceState } from "../src/contracts/index.js";
import type { DesiredResource } from "../src/iac/desired-resources.js";
import { computePlan } from "../src/iac/plan/index.js";
import { ProviderSet } from "../src/iac/provider-set.js";
import { FakeCloudProvider } from "../test/doubles/fake-cloud-provider.js";
import { report, time } from "./stats.js";

const COUNT = 10_000;
const CHAIN = 10; // each resource references the one before it in its chain of 10

function desiredSet(): DesiredResource[] {
  return Array.from({ length: COUNT }, (_, i): DesiredResource => {
    const previous = i % CHAIN === 0 ? undefined : `r${i - 1}`;
    return {
      spec: {
        name: `r${i}`,
        type: "infra.app",
        config: {
          image: `registry.test/app-${i}:1.0`,
          instance_count: 2,
          env_vars: { MODE: "prod", INDEX: String(i) },
          ...(previous ? { upstream: `\${${previous}.endpoint}`, peer: `\${${previous}.id}` } : {}),
        },
        ...(i % 3 === 0 ? { size: "s" as const } : {}),
      },
      provider: "cloud",
      protected: false,
      adoptExisting: false,
      moduleIndex: i,
    };
  });
}

async function cloudWithState(desired: readonly DesiredResource[]) {
  const cloud = new FakeCloudProvider();
  await cloud.initialize({});
  const providers = ProviderSet.of({ cloud });
  // Plan once against empty state to get the sized, resolved configs an apply would have used.
  const state: ResourceState[] = [];
  const outputs = new Map<string, Record<string, unknown>>();
  const { plan } = await computePlan({
    desired,
    state: [],
    providers,
    environ: {},
    envVarNames: [],
    generator: { wfctl_version: "bench" },
  });
  for (const action of plan.actions) {
    const config = JSON.parse(
      JSON.stringify(action.resource.config).replace(/\$\{(r\d+)\.(id|endpoint)\}/g, (_m, n, f) =>
        String(outputs.get(n)?.[f]),
      ),
    );
    const record = cloud.seed({ name: action.resource.name, type: action.resource.type, config });
    const out = cloud.output(record).outputs;
    outputs.set(record.name, out);
    state.push({
      id: record.name,
      name: record.name,
      type: record.type,
      provider: "cloud",
      provider_id: record.id,
      config_hash: "",
      applied_config: config,
      applied_config_source: "apply",
      outputs: out,
      dependencies: action.resource.depends_on ?? [],
      created_at: "2026-01-01T00:00:00Z",
      updated_at: "2026-01-01T00:00:00Z",
    });
  }
  return { cloud, providers, state };
}

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 5);

const desired = desiredSet();
const inState = await cloudWithState(desired);
const fresh = ProviderSet.of({ cloud: new FakeCloudProvider() });
const base = { desired, environ: {}, envVarNames: [], generator: { wfctl_version: "bench" } };

for (const [label, run] of [
  [
    `plan ${COUNT} resources, all in state (no changes)`,
    async () => {
      const { plan } = await computePlan({
        ...base,
        state: inState.state,
        providers: inState.providers,
      });
      if (plan.actions.length !== 0)
        throw new Error(`expected no actions, got ${plan.actions.length}`);
    },
  ],
  [
    `plan ${COUNT} new resources`,
    async () => {
      const { plan } = await computePlan({ ...base, state: [], providers: fresh });
      if (plan.actions.length !== COUNT) throw new Error(`expected ${COUNT} creates`);
    },
  ],
] as const) {
  peakRss = process.memoryUsage().rss;
  const t = await time(5, run);
  report(label, t);
  console.log(
    `${"".padEnd(48)} peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MB (sampled during the runs)`,
  );
}
clearInterval(sampler);
console.log(
  `process max RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (includes building the fixtures)`,
);
