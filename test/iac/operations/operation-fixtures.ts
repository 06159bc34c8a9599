import {
  type AppliedConfigSource,
  ErrProviderMethodUnimplemented,
  type ResourceState,
  wrapSentinel,
} from "../../../src/contracts/index.js";
import { configHash } from "../../../src/iac/hashing.js";
import { type CloudRecord, FakeCloudProvider } from "../../doubles/fake-cloud-provider.js";
import { MemoryStateStore } from "../../doubles/memory-state-store.js";

/** Shared set-up for the operations tests: fake-cloud providers and state entries. */

export async function fakeProvider(
  config: Record<string, unknown> = {},
): Promise<FakeCloudProvider> {
  const provider = new FakeCloudProvider();
  await provider.initialize(config);
  return provider;
}

/** A rejection the way an out-of-process provider lacking a method answers. */
export function unimplemented(method: string): () => Promise<never> {
  return async () => {
    throw wrapSentinel(ErrProviderMethodUnimplemented, `plugin: ${method}`);
  };
}

export interface EntryOptions {
  readonly provider?: string;
  readonly source?: AppliedConfigSource;
  readonly appliedConfig?: Record<string, unknown>;
  readonly outputs?: Record<string, unknown>;
  readonly dependencies?: string[];
}

/** The state entry an apply of `record` would have left. */
export function entryFor(record: CloudRecord, options: EntryOptions = {}): ResourceState {
  const applied = options.appliedConfig ?? record.config;
  return {
    id: record.name,
    name: record.name,
    type: record.type,
    provider: options.provider ?? "cloud",
    provider_id: record.id,
    config_hash: configHash(applied),
    applied_config: applied,
    applied_config_source: options.source ?? "apply",
    outputs: options.outputs ?? { id: record.id },
    dependencies: options.dependencies ?? [],
    created_at: "2024-01-01T00:00:00.000Z",
    updated_at: "2024-01-01T00:00:00.000Z",
  };
}

/** A state store holding `entries`. */
export async function storeWith(entries: readonly ResourceState[]): Promise<MemoryStateStore> {
  return new MemoryStateStore(entries);
}
