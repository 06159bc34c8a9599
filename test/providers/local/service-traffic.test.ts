import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ResourceDriver } from "../../../src/contracts/index.js";
import { notAppliedKeys } from "../../../src/providers/local/not-applied-keys.js";
import { allocatePort } from "../../../src/providers/local/ports.js";
import { serviceSupervisorSpec } from "../../../src/providers/local/service-spec.js";
import { serviceConfig } from "./local-fixtures.js";
import { eventually, localHarness } from "./local-harness.js";

const TYPE = "infra.container_service";
type Harness = Awaited<ReturnType<typeof localHarness>>;

describe("local container_service: scheduled jobs, cors, routes, log destinations, autoscaling", () => {
  let h: Harness;
  let driver: ResourceDriver;
  beforeEach(async () => {
    h = await localHarness({ ready_timeout_seconds: 15 });
    driver = h.provider.resourceDriver(TYPE);
  });
  afterEach(async () => {
    expect(await h.cleanup()).toEqual([]);
  });

  it("runs a SCHEDULED job on its cron with the service's and its own env", async () => {
    const config = serviceConfig(h.project.appDir, {
      env_vars: { GREETING: "hi" },
      jobs: [
        {
          name: "tick",
          kind: "SCHEDULED",
          cron: "* * * * * *",
          run_command: 'echo "$GREETING $JOB_VAR" >> ticks.txt',
          env_vars: { JOB_VAR: "job" },
        },
      ],
    });
    await driver.create(h.spec(TYPE, "cron", config));
    h.track(TYPE, "cron");
    const ticks = path.join(h.project.appDir, "ticks.txt");
    expect(
      await eventually(() => {
        try {
          return readFileSync(ticks, "utf8").startsWith("hi job\n");
        } catch {
          return false;
        }
      }, 5_000),
    ).toBe(true);
    expect(
      await eventually(() => h.statusOf(TYPE, "cron")?.jobs?.[0]?.last_run?.exit_code === 0),
    ).toBe(true);
    expect(h.statusOf(TYPE, "cron")?.jobs?.[0]?.name).toBe("tick");
  });

  it("refuses a SCHEDULED job with an invalid cron, naming the job, and leaves nothing", async () => {
    const config = serviceConfig(h.project.appDir, {
      jobs: [{ name: "bad", kind: "SCHEDULED", cron: "every day", run_command: "true" }],
    });
    await expect(driver.create(h.spec(TYPE, "badcron", config))).rejects.toThrow(
      'badcron: job "bad": cron "every day" is not a valid schedule',
    );
    expect(await h.provider.workdir().records(TYPE)).toEqual([]);
  });

  it("serves http_port under its routes only, with its cors policy", async () => {
    const port = await allocatePort();
    const config = serviceConfig(h.project.appDir, {
      http_port: port,
      routes: [{ path: "/api/" }],
      cors: { allow_origins: ["https://app.example"], max_age: "10m" },
    });
    await driver.create(h.spec(TYPE, "web", config));
    h.track(TYPE, "web");
    const base = `http://127.0.0.1:${port}`;
    const res = await fetch(`${base}/api/items`, { headers: { origin: "https://app.example" } });
    expect(await res.text()).toBe("hello 0 ");
    expect(res.headers.get("access-control-allow-origin")).toBe("https://app.example");
    expect((await fetch(`${base}/other`)).status).toBe(404);
    const preflight = await fetch(`${base}/api/items`, {
      method: "OPTIONS",
      headers: { origin: "https://app.example", "access-control-request-method": "POST" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-max-age")).toBe("600");
  });

  it("routes an ingress rule's prefix to a worker listening on its PORT, the rest to the web replicas", async () => {
    const port = await allocatePort();
    const config = serviceConfig(h.project.appDir, {
      http_port: port,
      env_vars: { GREETING: "web" },
      workers: [
        {
          name: "admin",
          run_command: "node server.js",
          env_vars: { GREETING: "admin" },
          health_check: { http_path: "/healthz", period_seconds: 0.2 },
        },
      ],
      ingress: { rules: [{ match: "/admin", component: "admin" }] },
    });
    await driver.create(h.spec(TYPE, "routed", config));
    h.track(TYPE, "routed");
    const base = `http://127.0.0.1:${port}`;
    expect(await (await fetch(`${base}/admin/users`)).text()).toBe("hello 0 admin");
    expect(await (await fetch(`${base}/administrator`)).text()).toBe("hello 0 web");
    expect(await (await fetch(`${base}/`)).text()).toBe("hello 0 web");
  });

  it("forwards replica log lines to its log_destinations", async () => {
    const batches: { group: string; index: number; lines: string[]; auth?: string }[] = [];
    const sink = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => {
        body += c;
      });
      req.on("end", () => {
        batches.push({ ...JSON.parse(body), auth: req.headers.authorization });
        res.end();
      });
    });
    await new Promise<void>((resolve) => sink.listen(0, "127.0.0.1", resolve));
    try {
      const { port: sinkPort } = sink.address() as { port: number };
      const port = await allocatePort();
      const config = serviceConfig(h.project.appDir, {
        http_port: port,
        log_destinations: [
          {
            name: "collector",
            endpoint: `http://127.0.0.1:${sinkPort}/ingest`,
            headers: { authorization: "Bearer t" },
          },
        ],
      });
      await driver.create(h.spec(TYPE, "logs", config));
      h.track(TYPE, "logs");
      expect(await eventually(() => batches.length > 0, 5_000)).toBe(true);
      expect(batches[0]).toEqual({
        resource: "logs",
        group: "web",
        index: 0,
        lines: [expect.stringMatching(/^listening on \d+$/)],
        auth: "Bearer t",
      });
    } finally {
      sink.closeAllConnections();
      sink.close();
    }
  });

  it("runs autoscaling's min replicas and reports its target", async () => {
    const config = serviceConfig(h.project.appDir, {
      instance_count: 1,
      autoscaling: { min: 2, max: 3, cpu_percent: 80 },
    });
    const created = await driver.create(h.spec(TYPE, "auto", config));
    h.track(TYPE, "auto");
    const status = h.statusOf(TYPE, "auto");
    expect(status?.groups[0]?.replicas).toHaveLength(2);
    expect(status?.autoscaling).toMatchObject({ group: "web", target: 2 });
    expect(created.outputs.instances).toBe(2);
  });
});

describe("local container_service spec mapping", () => {
  const config = {
    run_command: "node server.js",
    http_port: 8080,
    env_vars: { A: "1" },
    routes: [{ path: "api" }, { path: "/v2/", preserve_path_prefix: true }],
    cors: { allow_origins: ["*"], allow_credentials: true, max_age: "3600" },
    jobs: [
      { name: "migrate", kind: "PRE_DEPLOY" as const, run_command: "m" },
      { name: "nightly", kind: "SCHEDULED" as const, cron: "0 3 * * *", run_command: "n" },
    ],
  };

  it("maps routes, cors and SCHEDULED jobs to the supervisor spec", () => {
    const spec = serviceSupervisorSpec("svc", config, "/project", 1);
    expect(spec.balancer?.routes).toEqual([
      { prefix: "/api", strip: true },
      { prefix: "/v2", strip: false },
    ]);
    expect(spec.balancer?.cors).toEqual({
      allow_origins: ["*"],
      allow_credentials: true,
      max_age_s: 3600,
    });
    expect(spec.scheduled_jobs).toEqual([
      {
        name: "nightly",
        cron: "0 3 * * *",
        command: "n",
        cwd: "/project",
        env: expect.objectContaining({ A: "1" }),
      },
    ]);
  });

  it("maps CPU autoscaling to the web group, with max defaulting to instance_count", () => {
    const spec = serviceSupervisorSpec(
      "svc",
      { ...config, instance_count: 4, autoscaling: { cpu_percent: 70 } },
      "/project",
      1,
    );
    expect(spec.autoscaling).toEqual({ group: "web", min: 1, max: 4, cpu_percent: 70 });
    expect(() =>
      serviceSupervisorSpec(
        "svc",
        { ...config, autoscaling: { min: 3, max: 2, cpu_percent: 70 } },
        "/project",
        1,
      ),
    ).toThrow("svc: autoscaling min 3 and max 2 must be whole numbers");
    expect(
      serviceSupervisorSpec("svc", { ...config, autoscaling: { memory_percent: 50 } }, "/p", 1)
        .autoscaling,
    ).toBeUndefined();
    expect(notAppliedKeys(TYPE, { autoscaling: { memory_percent: 50 } })).toEqual([
      "autoscaling.memory_percent",
    ]);
  });

  it("maps ingress rules to routes of the service's groups, giving a routed worker a PORT", () => {
    const config = serviceConfig("/app", {
      http_port: 8080,
      workers: [
        { name: "admin", run_command: "node admin.js" },
        { name: "mailer", run_command: "node mailer.js" },
      ],
      ingress: {
        rules: [
          { match: "/admin", component: "admin" },
          { match: "/self", component: "svc" },
        ],
      },
    });
    const spec = serviceSupervisorSpec("svc", config, "/project", 1);
    expect(spec.balancer?.routes).toEqual([
      { prefix: "/", strip: true },
      { prefix: "/admin", strip: true, group: "admin" },
      { prefix: "/self", strip: true, group: "web" },
    ]);
    expect(spec.groups.map((g) => [g.name, g.port])).toEqual([
      ["web", true],
      ["admin", true],
      ["mailer", false],
    ]);
    expect(notAppliedKeys(TYPE, config)).toEqual([]);
  });

  it("rejects ingress rules it cannot route: a header match, an unknown component, no http_port", () => {
    const config = (rules: unknown[], extra: Record<string, unknown> = { http_port: 8080 }) =>
      serviceConfig("/app", { ...extra, ingress: { rules } });
    expect(() =>
      serviceSupervisorSpec("svc", config([{ match: "X-Admin: 1", component: "svc" }]), "/p", 1),
    ).toThrow('svc: ingress rule match "X-Admin: 1" is not a path prefix');
    expect(() =>
      serviceSupervisorSpec("svc", config([{ match: "/a", component: "nobody" }]), "/p", 1),
    ).toThrow('svc: ingress rule component "nobody" is neither the service nor one of its workers');
    expect(() =>
      serviceSupervisorSpec("svc", config([{ match: "/a", component: "svc" }], {}), "/p", 1),
    ).toThrow("svc: ingress.rules route requests arriving on http_port; set http_port");
  });

  it("rejects a cors max_age that is not a duration", () => {
    expect(() =>
      serviceSupervisorSpec("svc", { ...config, cors: { max_age: "soon" } }, "/project", 1),
    ).toThrow('svc: cors.max_age "soon" is not a duration');
  });

  it("rejects a log destination with tls whose endpoint is not https", () => {
    const log_destinations = [{ name: "x", endpoint: "http://logs.example/in", tls: true }];
    expect(() =>
      serviceSupervisorSpec("svc", { ...config, log_destinations }, "/project", 1),
    ).toThrow('svc: log_destinations "x": endpoint "http://logs.example/in" must be an https URL');
  });

  it("no longer warns that routes, cors, jobs, log_destinations and autoscaling are not applied", () => {
    const log_destinations = [{ name: "x", endpoint: "https://logs.example/in" }];
    const autoscaling = { min: 1, max: 2, cpu_percent: 50 };
    expect(notAppliedKeys(TYPE, { ...config, log_destinations, autoscaling })).toEqual([]);
  });
});
