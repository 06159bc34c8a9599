import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { allocatePort } from "../../src/providers/local/ports.js";
import { repoRoot, spawnCli, startCli } from "../helpers/run-cli.js";
import { tempDir } from "../helpers/temp-dir.js";

const until = async (check: () => Promise<boolean>, ms = 10_000) => {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
};

const example = path.join(repoRoot, "examples/app/wfctl.yaml");

// wfctl run / pipeline / executions through the real executable, on examples/app.
describe("wfctl run, pipeline and executions", () => {
  it("serves examples/app, records executions, and exits 0 on SIGTERM", {
    timeout: 60_000,
  }, async () => {
    const dir = tempDir("wfctl-engine-cli");
    const port = await allocatePort();
    const env = { APP_ADDRESS: `127.0.0.1:${port}`, APP_DB_PATH: path.join(dir, "app.db") };
    const run = startCli(["run", "-c", example], { env });
    const base = `http://127.0.0.1:${port}`;
    expect(await until(async () => (await fetch(`${base}/readyz`)).status === 200)).toBe(true);
    const created = await fetch(`${base}/api/orders`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ item: "tea", quantity: 2 }),
    });
    expect([created.status, await created.json()]).toEqual([201, { id: "1" }]);
    const invalid = await fetch(`${base}/api/orders`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ item: "tea", quantity: 0 }),
    });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ field: "quantity" });
    expect(await (await fetch(`${base}/api/orders`)).json()).toEqual({
      orders: [{ id: 1, item: "tea", quantity: 2 }],
      count: 1,
    });
    const traced = await fetch(`${base}/api/orders`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-workflow-trace": "true" },
      body: JSON.stringify({ item: "milk", quantity: 1 }),
    });
    expect(traced.status).toBe(201);
    run.child.kill("SIGTERM");
    const exited = await run.done;
    expect(exited.code).toBe(0);
    const lines = exited.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { msg: string });
    expect(lines.map((l) => l.msg)).toContain("stopped");

    const list = await spawnCli(
      ["executions", "list", "-c", example, "--json", "--pipeline", "create-order"],
      { env },
    );
    expect(list.code).toBe(0);
    const executions = JSON.parse(list.stdout).executions as {
      id: string;
      status: string;
      error: string | null;
    }[];
    expect(executions.map((e) => e.status)).toEqual(["completed", "failed", "completed"]);
    expect(executions[1]?.error).toContain('step "check" failed');

    // record_data's default: a completed execution's data is kept only when traced.
    const show = async (id: string | undefined, ...flags: string[]) =>
      spawnCli(["executions", "show", String(id), "-c", example, ...flags], { env });
    const detail = async (id: string | undefined) => JSON.parse((await show(id, "--json")).stdout);
    expect((await detail(executions[0]?.id)).execution).toMatchObject({
      data_recorded: true,
      trigger_data: { body: { item: "milk", quantity: 1 } },
    });
    expect((await detail(executions[1]?.id)).execution).toMatchObject({
      data_recorded: true,
      trigger_data: { body: { item: "tea", quantity: 0 } },
    });
    const plain = await detail(executions[2]?.id);
    expect(plain.execution).toMatchObject({ data_recorded: false, trigger_data: null });
    expect(plain.steps.map((s: { status: string }) => s.status)).toContain("completed");
    expect(JSON.stringify(plain)).not.toContain("tea");
    const human = await show(executions[2]?.id);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain("Data:      not recorded (the store's record_data setting)");
  });

  it("runs one pipeline with --input and prints its result; a failure exits 1 naming the step", async () => {
    const dir = tempDir("wfctl-pipeline-cli");
    writeFileSync(
      path.join(dir, "wfctl.yaml"),
      `pipelines:
  double:
    steps:
      - name: calc
        type: step.set
        config: { values: { doubled: "{{ mul .n 2 }}" } }
      - name: out
        type: step.pipeline_output
        config: { values: { result: "{{ .steps.calc.doubled }}" } }
`,
    );
    const ok = await spawnCli(["pipeline", "run", "double", "--input", '{"n": 21}'], { cwd: dir });
    expect([ok.code, JSON.parse(ok.stdout)]).toEqual([0, { result: 42 }]);
    const bad = await spawnCli(["pipeline", "run", "double", "--input", '{"n": "x"}'], {
      cwd: dir,
    });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/pipeline "double" failed: step "calc" failed: .*mul/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    const missing = await spawnCli(["pipeline", "run", "nope"], { cwd: dir });
    expect(missing.stderr).toContain('no pipeline "nope"; the config has double');
  });

  it("pipeline run --trace has the execution store keep that execution's data", async () => {
    const dir = tempDir("wfctl-pipeline-trace");
    writeFileSync(
      path.join(dir, "wfctl.yaml"),
      `modules:
  - name: db
    type: database.sqlite
    config: { path: app.db }
  - name: executions
    type: execution.store
    config: { database: db }
pipelines:
  greet:
    steps:
      - name: hello
        type: step.set
        config: { values: { greeting: "hello {{ .name }}" } }
`,
    );
    for (const flags of [[], ["--trace"]]) {
      const ran = await spawnCli(
        ["pipeline", "run", "greet", "--input", '{"name":"ada"}', ...flags],
        {
          cwd: dir,
        },
      );
      expect(ran.code).toBe(0);
    }
    const list = await spawnCli(["executions", "list", "--json"], { cwd: dir });
    const [traced, plain] = JSON.parse(list.stdout).executions as { id: string }[];
    const detail = async (id: string | undefined) =>
      JSON.parse(
        (await spawnCli(["executions", "show", String(id), "--json"], { cwd: dir })).stdout,
      );
    expect((await detail(traced?.id)).steps[0].output).toEqual({ greeting: "hello ada" });
    expect((await detail(plain?.id)).execution).toMatchObject({
      data_recorded: false,
      output: null,
    });
  });

  it("reloads a changed config with --watch, and keeps serving when the change is invalid", {
    timeout: 30_000,
  }, async () => {
    const dir = tempDir("wfctl-watch-cli");
    const port = await allocatePort();
    const file = path.join(dir, "wfctl.yaml");
    const yaml = (greeting: string) => `modules:
  - name: http
    type: http.server
    config: { address: "127.0.0.1:${port}" }
pipelines:
  hi:
    trigger: { type: http, config: { path: /hi } }
    steps:
      - name: out
        type: step.json_response
        config: { body: { greeting: "${greeting}" } }
`;
    writeFileSync(file, yaml("hello"));
    const run = startCli(["run", "--watch"], { cwd: dir });
    const greeting = async () =>
      ((await (await fetch(`http://127.0.0.1:${port}/hi`)).json()) as { greeting: string })
        .greeting;
    expect(await until(async () => (await greeting()) === "hello")).toBe(true);
    writeFileSync(file, yaml("bonjour"));
    expect(await until(async () => (await greeting()) === "bonjour")).toBe(true);
    writeFileSync(file, "pipelines: [not, a, map]\n");
    expect(await until(async () => run.stdout().includes("config change refused"))).toBe(true);
    expect(await greeting()).toBe("bonjour");
    run.child.kill("SIGINT");
    expect((await run.done).code).toBe(0);
  });
});
