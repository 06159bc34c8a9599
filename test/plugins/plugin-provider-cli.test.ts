// An iac.provider module naming a plugin's provider: `wfctl infra` runs it out of
// process, and the cloud changes as with the in-process provider.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot, runCli, spawnCli } from "../helpers/run-cli.js";
import { infraFixture, stackYaml } from "../integration/infra-fixtures.js";

const PLUGIN_DIR = path.join(repoRoot, "test/doubles");
const env = { WFCTL_PLUGIN_DIR: PLUGIN_DIR };

describe("a plugin as an IaC provider", () => {
  it("plans, applies and destroys through the plugin process", async () => {
    const fx = await infraFixture();
    // The fake cloud's plugin is found by its provider name in the plugin directory.
    await fx.write(
      stackYaml(fx, [{ name: "vpc", config: { region: "nyc3" } }], { provider: "fakecloud" }),
    );
    const apply = await runCli(["infra", "apply", "-y", "-c", path.join(fx.dir, "wfctl.yaml")], {
      env,
      cwd: fx.dir,
    });
    expect(apply.stderr).not.toContain("Error");
    expect(apply.code).toBe(0);
    expect((await fx.cloud()).map((r) => r.name)).toEqual(["vpc"]);
    const plan = await runCli(
      ["infra", "plan", "--detailed-exitcode", "-c", path.join(fx.dir, "wfctl.yaml")],
      { env, cwd: fx.dir },
    );
    expect(plan.code).toBe(0);
    const destroy = await runCli(
      ["infra", "destroy", "-y", "-c", path.join(fx.dir, "wfctl.yaml")],
      { env, cwd: fx.dir },
    );
    expect(destroy.code).toBe(0);
    expect(await fx.cloud()).toEqual([]);
  });

  it("names the plugins when the provider is unknown", async () => {
    const fx = await infraFixture();
    await fx.write(stackYaml(fx, [{ name: "vpc" }], { provider: "nocloud" }));
    // --plugin-dir, this time, rather than $WFCTL_PLUGIN_DIR.
    const config = path.join(fx.dir, "wfctl.yaml");
    const run = await runCli(["infra", "plan", "-c", config, "--plugin-dir", PLUGIN_DIR], {
      cwd: fx.dir,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'unknown provider "nocloud" (available: fakecloud, local, rpc-test)',
    );
  });

  it("fails the apply when the plugin crashes, names it, and converges on the next run", async () => {
    const fx = await infraFixture();
    const config = path.join(fx.dir, "wfctl.yaml");
    const stack = [{ name: "vpc-a" }, { name: "vpc-b", config: { depends_on: ["vpc-a"] } }];
    // The fake cloud kills its own process right after creating vpc-a.
    await fx.write(
      stackYaml(fx, stack, {
        provider: "fakecloud",
        crash: { resource: "vpc-a", point: "after_create" },
      }),
    );
    // The real executable: it must end promptly, with nothing of the dead plugin left waiting.
    const started = performance.now();
    const crashed = await spawnCli(["infra", "apply", "-y", "-c", config], { env, cwd: fx.dir });
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(crashed.code).toBe(1);
    expect(crashed.stderr).toMatch(/plugin "fake-cloud-plugin" exited \((code|signal) /);
    expect((await fx.cloud()).map((r) => r.name)).toEqual(["vpc-a"]);

    // The next command starts the plugin again; the resource created before the crash is adopted, not duplicated.
    await fx.write(stackYaml(fx, stack, { provider: "fakecloud" }));
    const again = await runCli(["infra", "apply", "-y", "-c", config], { env, cwd: fx.dir });
    expect(again.code).toBe(0);
    expect((await fx.cloud()).map((r) => r.name).sort()).toEqual(["vpc-a", "vpc-b"]);
  }, 60_000);
});
