import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ResourceDriver } from "../../../src/contracts/index.js";
import { jobLogFile, runDeployJobs } from "../../../src/providers/local/deploy-jobs.js";
import { allocatePort } from "../../../src/providers/local/ports.js";
import { isAlive } from "../../../src/providers/local/supervisor-client.js";
import { serviceConfig } from "./local-fixtures.js";
import { eventually, get, localHarness } from "./local-harness.js";

const TYPE = "infra.container_service";
type Harness = Awaited<ReturnType<typeof localHarness>>;

/** Each job and the app's start append a line to `events.log` in the app folder. */
const note = (line: string) => `echo "${line}" >> events.log`;
const APP = `${note("start $GREETING")}; exec node server.js`;

describe("local infra.container_service deploy jobs", () => {
  let h: Harness;
  let driver: ResourceDriver;
  const events = () => {
    try {
      return readFileSync(path.join(h.project.appDir, "events.log"), "utf8").trim().split("\n");
    } catch {
      return [];
    }
  };
  const errorOf = (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      (e: Error) => e,
    );

  beforeEach(async () => {
    h = await localHarness({ ready_timeout_seconds: 15 });
    driver = h.provider.resourceDriver(TYPE);
  });
  afterEach(async () => {
    expect(await h.cleanup()).toEqual([]);
  });

  it("runs PRE_DEPLOY jobs in order before the replicas start, and POST_DEPLOY once ready", async () => {
    const port = await allocatePort();
    const config = serviceConfig(h.project.appDir, {
      http_port: port,
      run_command: APP,
      env_vars: { GREETING: "hi" },
      env_vars_secret: { TOKEN: "s3cret" },
      jobs: [
        { name: "after", kind: "POST_DEPLOY", run_command: note("post $GREETING") },
        {
          name: "migrate",
          kind: "PRE_DEPLOY",
          run_command: `echo migrating; ${note("migrate $GREETING $TOKEN $STEP")}`,
          env_vars: { STEP: "1" },
        },
        { name: "seed", kind: "PRE_DEPLOY", run_command: note("seed") },
        { name: "oops", kind: "FAILED_DEPLOY", run_command: note("failed") },
      ],
    });
    await driver.create(h.spec(TYPE, "api", config));
    h.track(TYPE, "api");
    expect(events()).toEqual(["migrate hi s3cret 1", "seed", "start hi", "post hi"]);
    expect(await get(`http://127.0.0.1:${port}/`)).toBe("hello 0 hi");
    const log = jobLogFile(path.join(h.provider.workdir().dir(TYPE, "api"), "logs"), {
      name: "migrate",
    });
    expect(readFileSync(log, "utf8")).toBe("migrating\n");
    expect(statSync(log).mode & 0o777).toBe(0o600);
  });

  it("aborts a create whose PRE_DEPLOY job fails, runs FAILED_DEPLOY, and leaves nothing running", async () => {
    const config = serviceConfig(h.project.appDir, {
      run_command: APP,
      jobs: [
        {
          name: "migrate",
          kind: "PRE_DEPLOY",
          run_command: "echo 'relation users already exists' >&2; exit 4",
        },
        { name: "never", kind: "PRE_DEPLOY", run_command: note("never") },
        { name: "notify", kind: "FAILED_DEPLOY", run_command: note("failed") },
      ],
    });
    const err = await errorOf(driver.create(h.spec(TYPE, "api", config)));
    expect(err?.message).toContain('api: PRE_DEPLOY job "migrate" exited with code 4');
    expect(err?.message).toContain("relation users already exists");
    expect(events()).toEqual(["failed"]);
    expect(existsSync(h.provider.workdir().dir(TYPE, "api"))).toBe(false);
  });

  it("keeps the old version serving when an update's PRE_DEPLOY job fails, and reports FAILED_DEPLOY's failure after it", async () => {
    const port = await allocatePort();
    const v1 = serviceConfig(h.project.appDir, {
      http_port: port,
      run_command: APP,
      env_vars: { GREETING: "v1" },
    });
    const created = await driver.create(h.spec(TYPE, "api", v1));
    h.track(TYPE, "api");
    const before = h.statusOf(TYPE, "api");
    const v2 = {
      ...v1,
      env_vars: { GREETING: "v2" },
      jobs: [
        { name: "migrate", kind: "PRE_DEPLOY", run_command: "echo 'cannot migrate'; exit 1" },
        { name: "page", kind: "FAILED_DEPLOY", run_command: "echo 'pager down'; exit 2" },
      ],
    };
    const ref = { name: "api", type: TYPE, provider_id: created.provider_id };
    const err = await errorOf(driver.update(ref, h.spec(TYPE, "api", v2)));
    const message = err?.message ?? "";
    expect(message).toContain('api: PRE_DEPLOY job "migrate" exited with code 1');
    expect(message).toContain("cannot migrate");
    expect(message).toContain('then api: FAILED_DEPLOY job "page" exited with code 2');
    expect(message.indexOf("migrate")).toBeLessThan(message.indexOf("page"));

    expect(await get(`http://127.0.0.1:${port}/`)).toBe("hello 0 v1");
    const after = h.statusOf(TYPE, "api");
    expect(after?.generation).toBe(before?.generation);
    const spec = readFileSync(
      path.join(h.provider.workdir().dir(TYPE, "api"), "spec.json"),
      "utf8",
    );
    expect(JSON.parse(spec).generation).toBe(before?.generation);
    expect(after?.pid).toBe(before?.pid);
    expect(events()).toEqual(["start v1"]);
    // Nothing was recorded as applied: the next apply tries the update again.
    const diff = await driver.diff(h.spec(TYPE, "api", v2), await driver.read(ref));
    expect(diff.changes.map((c) => c.path)).toEqual(["env_vars", "jobs"]);
  });

  it("runs an update's PRE_DEPLOY job before the roll and POST_DEPLOY after it", async () => {
    const port = await allocatePort();
    const v1 = serviceConfig(h.project.appDir, {
      http_port: port,
      run_command: APP,
      env_vars: { GREETING: "v1" },
    });
    const created = await driver.create(h.spec(TYPE, "api", v1));
    h.track(TYPE, "api");
    const v2 = {
      ...v1,
      env_vars: { GREETING: "v2" },
      jobs: [
        { name: "migrate", kind: "PRE_DEPLOY", run_command: note("migrate $GREETING") },
        { name: "warm", kind: "POST_DEPLOY", run_command: note("post $GREETING") },
      ],
    };
    const ref = { name: "api", type: TYPE, provider_id: created.provider_id };
    await driver.update(ref, h.spec(TYPE, "api", v2));
    h.track(TYPE, "api");
    expect(events()).toEqual(["start v1", "migrate v2", "start v2", "post v2"]);
    expect(await get(`http://127.0.0.1:${port}/`)).toBe("hello 0 v2");
  });

  it("runs no build and no deploy job on a scale, and keeps the secrets of the running env", async () => {
    const port = await allocatePort();
    const config = serviceConfig(h.project.appDir, {
      http_port: port,
      build_command: note("build"),
      env_vars_secret: { GREETING: "psst" },
      jobs: [
        { name: "migrate", kind: "PRE_DEPLOY", run_command: note("migrate") },
        { name: "warm", kind: "POST_DEPLOY", run_command: note("post") },
      ],
    });
    const created = await driver.create(h.spec(TYPE, "api", config));
    h.track(TYPE, "api");
    const ref = { name: "api", type: TYPE, provider_id: created.provider_id };
    const scaled = await driver.scale(ref, 2);
    h.track(TYPE, "api");
    expect(scaled.outputs.instances).toBe(2);
    expect(events()).toEqual(["build", "migrate", "post"]);
    const bodies = new Set<string | undefined>();
    for (let i = 0; i < 6; i++) bodies.add(await get(`http://127.0.0.1:${port}/`));
    expect(bodies).toEqual(new Set(["hello 0 psst", "hello 1 psst"]));
  });

  it("reports a failed POST_DEPLOY job as the action's error but keeps the deploy", async () => {
    const port = await allocatePort();
    const config = serviceConfig(h.project.appDir, {
      http_port: port,
      jobs: [{ name: "smoke", kind: "POST_DEPLOY", run_command: "echo 'smoke test red'; exit 3" }],
    });
    const err = await errorOf(driver.create(h.spec(TYPE, "api", config)));
    h.track(TYPE, "api");
    expect(err?.message).toContain('api: POST_DEPLOY job "smoke" exited with code 3');
    expect(err?.message).toContain("smoke test red");
    expect(await get(`http://127.0.0.1:${port}/`)).toBe("hello 0 ");
  });

  it("runs FAILED_DEPLOY jobs when the new version never becomes ready", async () => {
    await h.cleanup();
    h = await localHarness({ ready_timeout_seconds: 2 });
    driver = h.provider.resourceDriver(TYPE);
    const config = serviceConfig(h.project.appDir, {
      run_command: "echo boom-at-start; exit 7",
      jobs: [{ name: "rollback", kind: "FAILED_DEPLOY", run_command: note("rollback") }],
    });
    const err = await errorOf(driver.create(h.spec(TYPE, "crashy", config)));
    expect(err?.message).toContain("crashy: not ready");
    expect(events()).toEqual(["rollback"]);
    expect(existsSync(h.provider.workdir().dir(TYPE, "crashy"))).toBe(false);
  });

  it("stops a job at its timeout, with whatever it started", async () => {
    const logDir = path.join(h.project.dir, "logs");
    const run = runDeployJobs(
      "PRE_DEPLOY",
      [
        {
          name: "hang",
          kind: "PRE_DEPLOY",
          run_command: "sleep 30 & echo $! > sleeper.pid; wait",
          termination: { grace_period_seconds: 0.2 },
        },
      ],
      {
        resource: "api",
        cwd: h.project.appDir,
        env: { PATH: process.env.PATH ?? "" },
        logDir,
        timeoutMs: 500,
      },
    );
    await expect(run).rejects.toThrow('api: PRE_DEPLOY job "hang" timed out after');
    const sleeper = Number(readFileSync(path.join(h.project.appDir, "sleeper.pid"), "utf8"));
    expect(await eventually(() => !isAlive(sleeper), 3_000)).toBe(true);
  });

  it("runs SCHEDULED jobs on their cron under the supervisor, with the service's env and their own", async () => {
    const config = serviceConfig(h.project.appDir, {
      jobs: [
        {
          name: "tick",
          kind: "SCHEDULED",
          cron: "* * * * * *",
          run_command: note("tick $GREETING $JOB_VAR"),
          env_vars: { JOB_VAR: "j" },
        },
      ],
      env_vars: { GREETING: "hi" },
    });
    await driver.create(h.spec(TYPE, "cron", config));
    h.track(TYPE, "cron");
    const ticks = () => events().filter((e) => e === "tick hi j").length;
    expect(await eventually(() => ticks() >= 2, 5_000)).toBe(true);
  });

  it("refuses a job it cannot run, and has no plan warning for jobs", async () => {
    const err = await errorOf(
      driver.create(
        h.spec(
          TYPE,
          "api",
          serviceConfig(h.project.appDir, {
            jobs: [{ name: "migrate", kind: "PRE_DEPLOY", image: "migrator:1" }],
          }),
        ),
      ),
    );
    expect(err?.message).toContain('api: job "migrate" needs a run_command');
    expect(existsSync(h.provider.workdir().dir(TYPE, "api"))).toBe(false);
    const noCron = await errorOf(
      driver.create(
        h.spec(
          TYPE,
          "api",
          serviceConfig(h.project.appDir, {
            jobs: [{ name: "nightly", kind: "SCHEDULED", run_command: "n" }],
          }),
        ),
      ),
    );
    expect(noCron?.message).toContain('api: SCHEDULED job "nightly" needs a cron');

    const diagnostics = await h.provider.validatePlan({
      id: "p",
      created_at: new Date().toISOString(),
      actions: [
        {
          action: "create",
          resource: h.spec(TYPE, "a", {
            run_command: "x",
            jobs: [
              { name: "migrate", kind: "PRE_DEPLOY", run_command: "m" },
              { name: "nightly", kind: "SCHEDULED", run_command: "n", cron: "0 3 * * *" },
            ],
          }),
        },
      ],
    });
    expect(diagnostics).toEqual([]);
  });
});
