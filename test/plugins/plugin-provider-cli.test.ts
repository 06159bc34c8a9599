// An iac.provider module naming a plugin's provider: `wfctl infra` runs it out of
// process, and the cloud changes as with the in-process provider.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot, runCli } from "../helpers/run-cli.js";
import { infraFixture, stackYaml } from "../integration/infra-fixtures.js";

const PLUGIN_DIR = path.join(repoRoot, "test/doubles");

describe("a plugin as an IaC provider", () => {
  it("plans, applies and destroys through the plugin process", async () => {
    const fx = await infraFixture();
    // The fake cloud's plugin is found by its provider name in the plugin directory.
    await fx.write(
      stackYaml(fx, [{ name: "vpc", config: { region: "nyc3" } }], { provider: "fakecloud" }),
    );
    const env = { WFCTL_PLUGIN_DIR: PLUGIN_DIR };
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
    const run = await runCli(["infra", "plan", "-c", path.join(fx.dir, "wfctl.yaml")], {
      env: { WFCTL_PLUGIN_DIR: PLUGIN_DIR },
      cwd: fx.dir,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'unknown provider "nocloud" (available: fakecloud, local, rpc-test)',
    );
  });
});
