import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { CloudRecord } from "../doubles/fake-cloud-provider.js";
import { repoRoot } from "../helpers/run-cli.js";
import { tempDir } from "../helpers/temp-dir.js";

/** The fake-cloud test double, loaded by the CLI as a provider module path. */
export const fakeProviderPath = path.join(repoRoot, "test/doubles/fake-cloud-provider.ts");

export interface InfraFixture {
  readonly dir: string;
  readonly cloudFile: string;
  write(yaml: string): Promise<void>;
  cloud(): Promise<CloudRecord[]>;
}

/** A temp folder with a wfctl.yaml whose provider is the fake cloud persisted to cloud.json. */
export async function infraFixture(): Promise<InfraFixture> {
  const dir = tempDir("wfctl-infra");
  const cloudFile = path.join(dir, "cloud.json");
  return {
    dir,
    cloudFile,
    write: (yaml) => writeFile(path.join(dir, "wfctl.yaml"), yaml),
    cloud: async () => {
      try {
        return JSON.parse(await readFile(cloudFile, "utf8")) as CloudRecord[];
      } catch {
        return [];
      }
    },
  };
}

/** A config with one fake provider and the given resources (name, type, extra config lines). */
export function stackYaml(
  fx: InfraFixture,
  resources: readonly {
    name: string;
    type?: string;
    config?: Record<string, unknown>;
    protected?: boolean;
  }[],
  providerConfig: Record<string, unknown> = {},
): string {
  const provider = {
    provider: fakeProviderPath,
    cloud_file: fx.cloudFile,
    ...providerConfig,
  };
  const lines = [
    "modules:",
    "  - name: cloud",
    "    type: iac.provider",
    `    config: ${JSON.stringify(provider)}`,
  ];
  for (const r of resources) {
    lines.push(`  - name: ${r.name}`, `    type: ${r.type ?? "infra.vpc"}`);
    if (r.protected) lines.push("    protected: true");
    lines.push(`    config: ${JSON.stringify({ provider: "cloud", ...r.config })}`);
  }
  return `${lines.join("\n")}\n`;
}
