// Load + validate time of configs of growing size, in-process (schema compiled once per registry).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadConfig } from "../src/config/index.js";
import { createDefaultRegistry } from "../src/config-types.js";
import { report, time } from "./stats.js";

function bigConfig(modules: number, pipelines: number): string {
  const lines = ["modules:"];
  for (let i = 0; i < modules; i++) {
    lines.push(
      `  - name: db-${i}`,
      "    type: database.sqlite",
      "    config:",
      `      path: data/${i}.db`,
    );
  }
  lines.push("pipelines:");
  for (let i = 0; i < pipelines; i++) {
    lines.push(
      `  p-${i}:`,
      "    trigger:",
      "      type: http",
      `      config: { method: GET, path: "/p/${i}/{id}" }`,
      "    steps:",
      "      - name: parse",
      "        type: step.request_parse",
      "        config: { path_params: [id] }",
      "      - name: respond",
      "        type: step.json_response",
      '        config: { status: 200, body: { id: "{{ .steps.parse.path_params.id }}" } }',
    );
  }
  return `${lines.join("\n")}\n`;
}

const registry = createDefaultRegistry();
const dir = mkdtempSync(path.join(tmpdir(), "wfctl-bench-"));
for (const [modules, pipelines] of [
  [10, 10],
  [100, 100],
  [1000, 1000],
] as const) {
  const file = path.join(dir, `config-${modules}.yaml`);
  writeFileSync(file, bigConfig(modules, pipelines));
  await loadConfig(file, { registry, environ: {} }); // first load compiles the schema
  const t = await time(5, async () => {
    const result = await loadConfig(file, { registry, environ: {} });
    if (!result.config) throw new Error(JSON.stringify(result.diagnostics.slice(0, 3)));
  });
  report(`loadConfig ${modules} modules + ${pipelines} pipelines`, t);
}
rmSync(dir, { recursive: true, force: true });
