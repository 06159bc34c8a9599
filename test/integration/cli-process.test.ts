import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { spawnCli } from "../helpers/run-cli.js";
import { tempDir } from "../helpers/temp-dir.js";

// The real executable, as `npx wfctl` runs it after `npm ci`: exit codes and streams.
describe("the wfctl executable", () => {
  it("validates an example and exits 0", async () => {
    const run = await spawnCli(["validate", "-c", "examples/app/wfctl.yaml"]);
    expect(run.stderr).toBe("");
    expect(run.stdout).toBe("examples/app/wfctl.yaml is valid: 5 modules, 5 pipelines\n");
    expect(run.code).toBe(0);
  });

  it("exits 1 with positioned errors and no stack trace for a bad config", async () => {
    const dir = tempDir("wfctl-proc");
    await writeFile(path.join(dir, "wfctl.yaml"), "modules:\n  - name: x\n    type: nope\n  - {\n");
    const run = await spawnCli(["validate"], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^wfctl\.yaml:\d+:\d+: /m);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
