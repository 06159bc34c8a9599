// Template rendering throughput (compiled once, rendered many times): a typical text
// with three actions (paths, a hyphenated step name, a pipe), a whole-value path that
// yields an object, a function-heavy expression, and a deep config value (step.set
// style). Also the compile cost. Figures are printed, never asserted.

import type { CompiledValue, TemplateData } from "../src/engine/templates/index.js";
import { compileTemplate, compileValue } from "../src/engine/templates/index.js";

const site = { label: 'pipeline "bench" step "s" config.message' };
const data: TemplateData = {
  id: "ord-1",
  steps: {
    "parse-body": {
      body: { id: 42, customer: { name: "Ada Lovelace", email: "ada@example.com" }, total: 99.5 },
      path_params: { id: "42" },
    },
    lookup: { row: { id: 42, status: "open" }, found: true },
  },
  trigger: { path_params: { id: "42" }, query: { verbose: "1" } },
  meta: { pipeline: "bench", started_at: "2025-01-01T00:00:00Z" },
};
const options = { strict: false, onMissing: () => undefined };

function measure(label: string, fn: () => unknown, iterations: number): void {
  for (let i = 0; i < Math.min(iterations, 10_000); i++) fn(); // warm up
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 5; round++) {
    const start = performance.now();
    for (let i = 0; i < iterations; i++) fn();
    best = Math.min(best, performance.now() - start);
  }
  const opsPerSecond = (iterations / best) * 1000;
  const nsPerOp = (best * 1e6) / iterations;
  console.log(
    `${label.padEnd(52)} ${Math.round(opsPerSecond).toLocaleString("en-US").padStart(12)} ops/s  ${nsPerOp.toFixed(0).padStart(6)} ns/op`,
  );
}

const render = (c: CompiledValue) => () => c.render(data, options);

const threeActions = compileTemplate(
  "order {{ .steps.parse-body.body.id }} for {{ .steps.parse-body.body.customer.name | upper }} ({{ .meta.pipeline }})",
  site,
);
const wholePath = compileTemplate("{{ .steps.parse-body.body.customer }}", site);
const scalarPath = compileTemplate("{{ .trigger.path_params.id }}", site);
const functions = compileTemplate(
  '{{ and (eq .steps.lookup.row.status "open") (gt (toFloat .steps.parse-body.body.total) 10) }}',
  site,
);
const deepValue = compileValue(
  {
    order_id: "{{ .steps.parse-body.body.id }}",
    customer: { name: "{{ .steps.parse-body.body.customer.name }}", tier: "gold" },
    tags: ["api", "{{ .meta.pipeline }}"],
    note: "static",
  },
  site,
);

console.log(`sample: ${JSON.stringify(threeActions.render(data, options))}`);
measure("render: text with 3 actions (path, pipe, meta)", render(threeActions), 1_000_000);
measure("render: whole value, object path", render(wholePath), 2_000_000);
measure("render: whole value, scalar path", render(scalarPath), 2_000_000);
measure("render: and/eq/gt/toFloat expression", render(functions), 1_000_000);
measure("render: compileValue object (3 templates)", render(deepValue), 500_000);
measure(
  "compile: text with 3 actions",
  () =>
    compileTemplate(
      "order {{ .steps.parse-body.body.id }} for {{ .steps.parse-body.body.customer.name | upper }} ({{ .meta.pipeline }})",
      site,
    ),
  100_000,
);
