import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type {
  AutoscalingPolicy,
  ProcessGroupSpec,
} from "../../../../src/providers/local/supervisor/supervisor-protocol.js";
import { baseSpec, createHarness, type Harness, replicasOf } from "./supervisor-harness.js";

let h: Harness;
afterEach(async () => {
  await h.cleanup();
});

/** Burns ~90% of a core while the file `burn` exists in its folder, else idles. */
function burner(dir: string): ProcessGroupSpec {
  return {
    name: "web",
    command: `exec node -e "const fs = require('fs'); setInterval(() => { if (fs.existsSync('burn')) { const end = Date.now() + 90; while (Date.now() < end) {} } }, 100); process.on('SIGTERM', () => process.exit(0))"`,
    cwd: dir,
    env: {},
    instances: 1,
    port: false,
  };
}

const policy: AutoscalingPolicy = {
  group: "web",
  min: 1,
  max: 2,
  cpu_percent: 50,
  sample_ms: 200,
};

describe("supervisor autoscaling", () => {
  it("adds a replica while CPU stays above the target, up to max, and removes it when idle, down to min", async () => {
    h = createHarness();
    writeFileSync(join(h.dir, "burn"), "");
    h.start(baseSpec([burner(h.dir)], { autoscaling: policy }));
    const up = await h.waitFor("scaled to 2", (s) => s.ready && replicasOf(s).length === 2, 10_000);
    expect(up.autoscaling).toMatchObject({ group: "web", target: 2 });
    expect(up.autoscaling?.cpu_percent).toBeGreaterThan(50);
    rmSync(join(h.dir, "burn"));
    const down = await h.waitFor(
      "scaled to 1",
      (s) => s.ready && replicasOf(s).length === 1,
      10_000,
    );
    expect(down.autoscaling?.target).toBe(1);
    expect(down.autoscaling?.cpu_percent).toBeLessThan(25);
  });

  it("starts within min..max whatever the group's instances say", async () => {
    h = createHarness();
    h.start(
      baseSpec([{ ...burner(h.dir), instances: 5 }], {
        autoscaling: { ...policy, min: 2, max: 3, sample_ms: 5_000 },
      }),
    );
    const s = await h.waitFor("ready", (st) => st.ready, 10_000);
    expect(replicasOf(s)).toHaveLength(3);
    expect(s.autoscaling?.target).toBe(3);
  });
});
