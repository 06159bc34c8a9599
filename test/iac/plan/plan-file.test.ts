import { readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { computePlan, readPlanFile, writePlanFile } from "../../../src/iac/plan/index.js";
import { tempDir } from "../../helpers/temp-dir.js";
import { applied, desired, fakeCloud, planInput } from "./plan-fixtures.js";

const scratch = () => tempDir("wfctl-plan-file");

async function samplePlan() {
  const cloud = await fakeCloud();
  return computePlan(
    planInput(
      { cloud },
      {
        state: [applied(cloud, "old", { k: 1 })],
        desired: [desired("app", { url: "${db.endpoint}" }), desired("db", {}, { size: "s" })],
      },
    ),
  );
}

describe("plan file", () => {
  it("round-trips the plan and its provider map, readable only by the owner", async () => {
    const { plan, providerOf } = await samplePlan();
    const file = path.join(scratch(), "plan.json");
    writeFileSync(file, "previous content", { mode: 0o644 });
    await writePlanFile(file, plan, providerOf);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, "utf8")).version).toBe(1);
    expect(await readPlanFile(file)).toEqual({ plan, providerOf });
  });

  it("refuses a newer format, naming its version and writer", async () => {
    const { plan, providerOf } = await samplePlan();
    const file = path.join(scratch(), "plan.json");
    writeFileSync(
      file,
      JSON.stringify({
        version: 2,
        plan: { ...plan, generator_metadata: { wfctl_version: "9.0.0" } },
        provider_of: providerOf,
      }),
    );
    await expect(readPlanFile(file)).rejects.toMatchObject({
      code: "WF_ERR_STATE_VERSION",
      message: expect.stringContaining("format version 2 (written by wfctl 9.0.0)"),
    });
  });

  it("says clearly when the file is missing or damaged", async () => {
    const dir = scratch();
    const missing = path.join(dir, "nope.json");
    await expect(readPlanFile(missing)).rejects.toMatchObject({
      code: "WF_ERR_PLAN_FILE",
      message: `plan file "${missing}" not found; write one with: wfctl infra plan -o ${missing}`,
    });
    const cases: [string, string][] = [
      ["{ truncated", "not JSON"],
      ["[]", "not a JSON object"],
      ['{"plan": {}}', "no format version"],
      ['{"version": 1, "plan": {"id": "p"}, "provider_of": {}}', "no plan with an id and actions"],
      [
        '{"version": 1, "plan": {"id": "p", "actions": [{"action": "create", "resource": {"name": "a", "type": "infra.app", "config": {}}}]}, "provider_of": {}}',
        'action 1: resource "a" has no provider in provider_of',
      ],
      [
        '{"version": 1, "plan": {"id": "p", "actions": [{"action": "explode"}]}, "provider_of": {}}',
        "action 1: no valid action kind",
      ],
    ];
    for (const [content, reason] of cases) {
      const file = path.join(dir, "bad.json");
      writeFileSync(file, content);
      await expect(readPlanFile(file)).rejects.toMatchObject({
        code: "WF_ERR_PLAN_FILE",
        message: expect.stringContaining(`is damaged (${reason}`),
      });
    }
  });

  it("fails to write into a missing folder with a clear error", async () => {
    const { plan, providerOf } = await samplePlan();
    const file = path.join(scratch(), "no-such-dir", "plan.json");
    await expect(writePlanFile(file, plan, providerOf)).rejects.toMatchObject({
      code: "WF_ERR_PLAN_FILE",
      message: expect.stringContaining(`cannot write plan file "${file}"`),
    });
  });
});
