import { existsSync } from "node:fs";
import { readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { spawnCli } from "../helpers/run-cli.js";
import { tempDir } from "../helpers/temp-dir.js";

// `destroy` keeps a database's data unless --delete-data says otherwise.
describe("wfctl infra destroy --delete-data", () => {
  it("keeps a sqlite database's file by default and removes it when asked", async () => {
    const dir = tempDir("wfctl-data");
    await writeFile(
      path.join(dir, "wfctl.yaml"),
      `modules:
  - name: local
    type: iac.provider
    config: { provider: local }
  - name: app-db
    type: infra.database
    config: { provider: local, engine: sqlite }
`,
    );
    const dbDir = path.join(dir, ".wfctl/local/database/app-db");
    const dbFiles = async () =>
      existsSync(dbDir) ? (await readdir(dbDir)).filter((f) => f.endsWith(".db")) : [];

    expect((await spawnCli(["infra", "apply", "-y"], { cwd: dir })).code).toBe(0);
    expect(await dbFiles()).toHaveLength(1);
    expect((await spawnCli(["infra", "destroy", "-y"], { cwd: dir })).code).toBe(0);
    expect(await dbFiles()).toHaveLength(1);

    expect((await spawnCli(["infra", "apply", "-y"], { cwd: dir })).code).toBe(0);
    const destroyed = await spawnCli(["infra", "destroy", "-y", "--delete-data"], { cwd: dir });
    expect(destroyed.code).toBe(0);
    expect(await dbFiles()).toEqual([]);
  });
});
