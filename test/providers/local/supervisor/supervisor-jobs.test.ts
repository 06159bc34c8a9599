import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ScheduledJobSpec } from "../../../../src/providers/local/supervisor/supervisor-protocol.js";
import { baseSpec, createHarness, type Harness, sleep, workerGroup } from "./supervisor-harness.js";

let h: Harness;
afterEach(async () => {
  await h.cleanup();
});

function job(overrides: Partial<ScheduledJobSpec> = {}): ScheduledJobSpec {
  return {
    name: "report",
    // Every second (the seconds field first).
    cron: "* * * * * *",
    command: 'echo "run $JOB_GREETING"',
    cwd: h.dir,
    env: { JOB_GREETING: "hello" },
    ...overrides,
  };
}

const read = (file: string): string => {
  try {
    return readFileSync(join(h.dir, "logs", file), "utf8");
  } catch {
    return "";
  }
};

describe("supervisor scheduled jobs", () => {
  it("runs a job on its cron with its env, logging to job-<name>.log, and reports the last run", async () => {
    h = createHarness();
    h.start(baseSpec([workerGroup(h.dir)], { scheduled_jobs: [job()] }));
    const s = await h.waitFor(
      "two finished runs",
      (st) =>
        read("job-report.log").split("\n").filter(Boolean).length >= 2 &&
        st.jobs?.[0]?.last_run?.exit_code === 0,
      6_000,
    );
    expect(read("job-report.log")).toMatch(/^run hello\nrun hello\n/);
    const [status] = s.jobs ?? [];
    expect(status).toMatchObject({ name: "report", running: false });
    expect(Date.parse(status?.next_run ?? "")).toBeGreaterThan(
      Date.parse(status?.last_run?.started_at ?? ""),
    );
    expect(s.error).toBeUndefined();
  });

  it("reports a failing run's exit code", async () => {
    h = createHarness();
    h.start(baseSpec([workerGroup(h.dir)], { scheduled_jobs: [job({ command: "exit 3" })] }));
    const s = await h.waitFor(
      "a failed run",
      (st) => st.jobs?.[0]?.last_run?.exit_code === 3,
      6_000,
    );
    expect(s.jobs?.[0]?.last_run?.finished_at).toBeDefined();
  });

  it("never runs a job twice at once: a tick during a run is skipped and logged", async () => {
    h = createHarness();
    h.start(
      baseSpec([workerGroup(h.dir)], {
        scheduled_jobs: [job({ command: 'echo "start $$"; sleep 1.5; echo "end $$"' })],
      }),
    );
    await h.waitFor("two runs done", () => read("job-report.log").split("end").length > 2, 8_000);
    expect(read("supervisor.log")).toContain("still going; skipping this run");
    const lines = read("job-report.log").split("\n").filter(Boolean);
    // Runs do not interleave: every start is followed by its own end.
    expect(lines.length).toBeGreaterThanOrEqual(4);
    for (let i = 0; i + 1 < lines.length; i += 2) {
      expect(lines[i + 1]).toBe(lines[i]!.replace("start", "end"));
    }
  });

  it("stops a run in progress when the supervisor stops, leaving no process", async () => {
    h = createHarness();
    h.start(
      baseSpec([workerGroup(h.dir)], {
        scheduled_jobs: [job({ command: "echo $$ > job.pid; exec sleep 30" })],
      }),
    );
    await h.waitFor("running", (st) => st.jobs?.[0]?.running === true, 6_000);
    await sleep(100);
    const pid = Number(readFileSync(join(h.dir, "job.pid"), "utf8"));
    h.child!.kill("SIGTERM");
    expect(await h.exited()).toBe(0);
    expect(() => process.kill(pid, 0)).toThrow();
  });

  it("reports an invalid schedule as the resource's error and applies a fixed one on reload", async () => {
    h = createHarness();
    const spec = baseSpec([workerGroup(h.dir)], { scheduled_jobs: [job({ cron: "not a cron" })] });
    h.start(spec);
    const s = await h.waitFor("error", (st) => st.error !== undefined);
    expect(s.error).toContain('job report: invalid schedule "not a cron"');
    h.write({ ...spec, generation: 2, scheduled_jobs: [job()] });
    h.child!.kill("SIGHUP");
    const fixed = await h.waitFor("a run", (st) => st.jobs?.[0]?.last_run?.exit_code === 0, 6_000);
    expect(fixed.error).toBeUndefined();
  });
});
