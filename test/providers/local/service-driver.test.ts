import { existsSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  DriftClass,
  ErrResourceAlreadyExists,
  ErrResourceNotFound,
  errorIs,
  PlanDiagnosticWarning,
  type ResourceDriver,
} from "../../../src/contracts/index.js";
import { LocalProvider } from "../../../src/providers/local/index.js";
import { allocatePort } from "../../../src/providers/local/ports.js";
import { isAlive } from "../../../src/providers/local/supervisor-client.js";
import { serviceConfig } from "./local-fixtures.js";
import { eventually, get, localHarness } from "./local-harness.js";

const TYPE = "infra.container_service";
type Harness = Awaited<ReturnType<typeof localHarness>>;

describe("local infra.container_service", () => {
  let h: Harness;
  let driver: ResourceDriver;
  beforeEach(async () => {
    h = await localHarness({ ready_timeout_seconds: 15 });
    driver = h.provider.resourceDriver(TYPE);
  });
  afterEach(async () => {
    expect(await h.cleanup()).toEqual([]);
  });

  it("runs replicas behind http_port, with stable reads, and leaves nothing after delete", async () => {
    const port = await allocatePort();
    const spec = h.spec(
      TYPE,
      "api",
      serviceConfig(h.project.appDir, {
        http_port: port,
        instance_count: 2,
        env_vars: { GREETING: "hi" },
      }),
    );
    const created = await driver.create(spec);
    h.track(TYPE, "api");
    expect(created.outputs).toMatchObject({ url: `http://127.0.0.1:${port}`, port, instances: 2 });
    const bodies = new Set<string | undefined>();
    for (let i = 0; i < 6; i++) bodies.add(await get(`http://127.0.0.1:${port}/`));
    expect(bodies).toEqual(new Set(["hello 0 hi", "hello 1 hi"]));
    const ref = { name: "api", type: TYPE, provider_id: created.provider_id };
    expect(await driver.read(ref)).toEqual(await driver.read(ref));
    expect((await driver.diff(spec, created)).changes).toEqual([]);

    const status = h.statusOf(TYPE, "api");
    await driver.delete(ref);
    expect(await get(`http://127.0.0.1:${port}/`)).toBeUndefined();
    expect(status?.pid !== undefined && isAlive(status.pid)).toBe(false);
    expect(existsSync(h.provider.workdir().dir(TYPE, "api"))).toBe(false);
    await expect(driver.read(ref)).rejects.toSatisfy((e) => errorIs(e, ErrResourceNotFound));
  });

  it("heals a killed replica", async () => {
    const port = await allocatePort();
    await driver.create(h.spec(TYPE, "heal", serviceConfig(h.project.appDir, { http_port: port })));
    h.track(TYPE, "heal");
    const victim = h.statusOf(TYPE, "heal")?.groups[0]?.replicas[0]?.pid;
    expect(victim).toBeDefined();
    process.kill(victim as number, "SIGKILL");
    expect(
      await eventually(async () => {
        const replica = h.statusOf(TYPE, "heal")?.groups[0]?.replicas[0];
        return replica?.pid !== victim && (await get(`http://127.0.0.1:${port}/`)) === "hello 0 ";
      }),
    ).toBe(true);
    h.track(TYPE, "heal");
  });

  it("rolls an update to the new config and keeps the provider ID", async () => {
    const port = await allocatePort();
    const spec = h.spec(
      TYPE,
      "roll",
      serviceConfig(h.project.appDir, { http_port: port, env_vars: { GREETING: "v1" } }),
    );
    const created = await driver.create(spec);
    h.track(TYPE, "roll");
    const next = { ...spec, config: { ...spec.config, env_vars: { GREETING: "v2" } } };
    const diff = await driver.diff(next, created);
    expect(diff).toMatchObject({ needs_update: true, needs_replace: false });
    expect(diff.changes.map((c) => c.path)).toEqual(["env_vars"]);
    const updated = await driver.update(
      { name: "roll", type: TYPE, provider_id: created.provider_id },
      next,
    );
    h.track(TYPE, "roll");
    expect(updated.provider_id).toBe(created.provider_id);
    expect(await get(`http://127.0.0.1:${port}/`)).toBe("hello 0 v2");
    const scaled = await driver.scale(
      { name: "roll", type: TYPE, provider_id: created.provider_id },
      2,
    );
    h.track(TYPE, "roll");
    expect(scaled.outputs.instances).toBe(2);
    expect(h.statusOf(TYPE, "roll")?.groups[0]?.replicas).toHaveLength(2);
  });

  it("runs workers beside the web replicas, each with its env", async () => {
    const worker =
      "node -e \"require('fs').writeFileSync('worker-' + process.env.INSTANCE_INDEX + '.txt', process.env.QUEUE); setInterval(() => {}, 1000)\"";
    await driver.create(
      h.spec(
        TYPE,
        "jobs",
        serviceConfig(h.project.appDir, {
          workers: [
            { name: "mailer", run_command: worker, instance_count: 2, env_vars: { QUEUE: "mail" } },
          ],
        }),
      ),
    );
    h.track(TYPE, "jobs");
    const groups = h.statusOf(TYPE, "jobs")?.groups ?? [];
    expect(groups.map((g) => [g.name, g.replicas.length])).toEqual([
      ["web", 1],
      ["mailer", 2],
    ]);
    expect(
      await eventually(() =>
        [0, 1].every((i) => {
          try {
            return readFileSync(path.join(h.project.appDir, `worker-${i}.txt`), "utf8") === "mail";
          } catch {
            return false;
          }
        }),
      ),
    ).toBe(true);
  });

  it("refuses an http_port another program listens on, naming the port, and leaves nothing", async () => {
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    try {
      await expect(
        driver.create(h.spec(TYPE, "busy", serviceConfig(h.project.appDir, { http_port: port }))),
      ).rejects.toThrow(`http_port ${port} is already in use`);
      expect(existsSync(h.provider.workdir().dir(TYPE, "busy"))).toBe(false);
    } finally {
      server.close();
    }
  });

  it("refuses an http_port another local resource holds, naming it", async () => {
    const port = await allocatePort();
    await driver.create(
      h.spec(TYPE, "first", serviceConfig(h.project.appDir, { http_port: port })),
    );
    h.track(TYPE, "first");
    await expect(
      driver.create(h.spec(TYPE, "second", serviceConfig(h.project.appDir, { http_port: port }))),
    ).rejects.toThrow(`http_port ${port} is already used by local resource "first"`);
  });

  it("reports a dead supervisor as a ghost, and a fresh provider adopts a live one by name", async () => {
    const created = await driver.create(h.spec(TYPE, "ghost", serviceConfig(h.project.appDir)));
    h.track(TYPE, "ghost");
    const ref = { name: "ghost", type: TYPE, provider_id: created.provider_id };

    // What a crashed wfctl leaves: a running resource no state knows about.
    const fresh = new LocalProvider();
    await fresh.initialize({ _config_dir: h.project.dir });
    const adopter = fresh.resourceDriver(TYPE);
    expect(await adopter.adoptionRef(h.spec(TYPE, "ghost", {}))).toEqual(ref);
    await expect(
      adopter.create(h.spec(TYPE, "ghost", serviceConfig(h.project.appDir))),
    ).rejects.toSatisfy((e) => errorIs(e, ErrResourceAlreadyExists));

    // A supervisor killed outright leaves its replicas behind.
    const status = h.statusOf(TYPE, "ghost");
    const replicas = (status?.groups[0]?.replicas ?? []).flatMap((r) => (r.pid ? [r.pid] : []));
    process.kill(status?.pid as number, "SIGKILL");
    await eventually(() => !isAlive(status?.pid as number));
    await expect(driver.read(ref)).rejects.toSatisfy((e) => errorIs(e, ErrResourceNotFound));
    const [drift] = await h.provider.detectDrift([ref]);
    expect(drift?.class).toBe(DriftClass.Ghost);
    expect(await adopter.adoptionRef(h.spec(TYPE, "ghost", {}))).toBeUndefined();

    // Re-creating it (apply --refresh) stops the leftovers first.
    expect(replicas.some(isAlive)).toBe(true);
    await driver.create(h.spec(TYPE, "ghost", serviceConfig(h.project.appDir)));
    h.track(TYPE, "ghost");
    expect(replicas.filter(isAlive)).toEqual([]);
  });

  it("fails a create whose build fails, with the build log's last lines, and leaves nothing", async () => {
    const spec = h.spec(
      TYPE,
      "badbuild",
      serviceConfig(h.project.appDir, {
        build_command: "echo compiling; echo 'syntax error in foo' >&2; exit 3",
      }),
    );
    const err = await driver.create(spec).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).toContain("exited with code 3");
    expect(err?.message).toContain("syntax error in foo");
    expect(existsSync(h.provider.workdir().dir(TYPE, "badbuild"))).toBe(false);
  });

  it("fails a create whose app never becomes ready, with its log lines and exits", async () => {
    h = await (async () => {
      await h.cleanup();
      return localHarness({ ready_timeout_seconds: 2 });
    })();
    driver = h.provider.resourceDriver(TYPE);
    const spec = h.spec(
      TYPE,
      "crashy",
      serviceConfig(h.project.appDir, { run_command: "echo boom-at-start; exit 7" }),
    );
    const err = await driver.create(spec).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).toContain("crashy: not ready");
    expect(err?.message).toContain("boom-at-start");
    expect(existsSync(h.provider.workdir().dir(TYPE, "crashy"))).toBe(false);
  });

  it("warns at plan about keys it does not apply, and refuses two resources on one http_port", async () => {
    const diagnostics = await h.provider.validatePlan({
      id: "p",
      created_at: new Date().toISOString(),
      actions: [
        {
          action: "create",
          resource: h.spec(TYPE, "a", { run_command: "x", image: "nginx", http_port: 8080 }),
        },
        { action: "create", resource: h.spec(TYPE, "b", { run_command: "x", http_port: 8080 }) },
      ],
    });
    expect(diagnostics).toEqual([
      {
        severity: PlanDiagnosticWarning,
        resource: "a",
        field: "image",
        message: "image is not applied by the local provider",
      },
      expect.objectContaining({
        resource: "b",
        field: "http_port",
        message: expect.stringContaining('http_port 8080 is also the http_port of "a"'),
      }),
    ]);
  });
});
