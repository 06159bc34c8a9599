import { spawn } from "node:child_process";
import os from "node:os";
import type { IaCPlan, ResourceState } from "../../../src/contracts/index.js";
import type { LockIdentity, ResourceIntent } from "../../../src/iac/state/state-store.js";

/** Records, identities and helpers shared by the state store tests. */

export const host = os.hostname();
export const alice: LockIdentity = {
  user: "alice",
  host,
  pid: process.pid,
  command: "wfctl infra apply -y",
};
export const bob: LockIdentity = {
  user: "bob",
  host,
  pid: process.pid,
  command: "wfctl infra destroy",
};

export function resourceState(name: string, overrides: Partial<ResourceState> = {}): ResourceState {
  return {
    id: name,
    name,
    type: "infra.database",
    provider: "local",
    provider_ref: "local-main",
    provider_id: `pid-${name}`,
    config_hash: "c0ffee",
    applied_config: { engine: "postgres", size: "s", nested: { list: [1, "two", null, true] } },
    applied_config_source: "apply",
    outputs: { uri: "postgres://db:5432/app", port: 5432, tags: ["a", "b"], secret: "s3cr3t" },
    dependencies: ["network", "vpc"],
    created_at: "2024-01-02T03:04:05.000Z",
    updated_at: "2024-01-02T03:04:05.000Z",
    last_drift_check: "2024-02-03T04:05:06.000Z",
    ...overrides,
  };
}

export function plan(id: string): IaCPlan {
  return {
    id,
    created_at: "2024-03-04T05:06:07.000Z",
    plan_hash: "abc123",
    schema_version: 2,
    include: ["api"],
    input_snapshot: { DATABASE_PASSWORD: "0123456789abcdef" },
    generator_metadata: { wfctl_version: "0.1.0", plugins: [{ name: "local", version: "1.0.0" }] },
    actions: [
      {
        action: "create",
        resource: { name: "api", type: "infra.container_service", config: { port: 8080 } },
        resolved_config_hash: "def456",
      },
      {
        action: "update",
        resource: { name: "db", type: "infra.database", config: { size: "m" } },
        current: resourceState("db"),
        changes: [{ path: "size", old: "s", new: "m", force_new: false }],
      },
    ],
  };
}

export function intent(name: string, action: ResourceIntent["action"] = "create"): ResourceIntent {
  return {
    name,
    type: "infra.database",
    provider: "local",
    action,
    spec: { name, type: "infra.database", config: { engine: "sqlite" } },
    ...(action === "replace" ? { previous_provider_id: `old-${name}` } : {}),
    recorded_at: "2024-05-06T07:08:09.000Z",
  };
}

/** Names a backend must store distinctly and safely: separators, dots, case, Unicode. */
export const awkwardNames = [
  "../escape",
  "a/b",
  "a\\b",
  ".hidden",
  "..",
  "Api",
  "api",
  "%41",
  "with space",
  "ünïcødé-名前",
  "x".repeat(300),
];

/** The pid of a process that has exited (so nothing runs under it). */
export async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await new Promise((resolve) => child.once("exit", resolve));
  return child.pid as number;
}

export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (err: unknown) => err,
  );
}
