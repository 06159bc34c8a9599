import type { IaCProvider } from "../../contracts/index.js";
import type { StateStore } from "../state/state-store.js";
import type { ResourceFixture } from "./fixtures.js";
import type { ScenarioContext } from "./scenario-context.js";

/**
 * Makes a fresh, uninitialised provider: the kit initialises it, as ProviderSet does,
 * so a module-path provider's default export can be passed as is. `config` is the
 * providerConfig, for factories that choose an implementation from it.
 */
export type ConformanceProviderFactory = (
  config: Readonly<Record<string, unknown>>,
) => IaCProvider | Promise<IaCProvider>;

/** Opens a fresh, empty state store; `workDir` is the scenario's own temporary folder. */
export type ConformanceStoreFactory = (workDir: string) => Promise<StateStore>;

export interface ConformanceConfig {
  readonly provider: ConformanceProviderFactory;
  /** Given to `initialize`, plus `_config_dir` (the scenario's temporary folder). */
  readonly providerConfig?: Readonly<Record<string, unknown>>;
  /** Scenario id → why it is skipped for this provider (reported as `skipped: <reason>`). */
  readonly skip?: Readonly<Record<string, string>>;
  /** Run only the smoke scenarios. */
  readonly smokeOnly?: boolean;
  /**
   * Let scenarios create, change and delete resources through the provider. Off by
   * default because against a real cloud that costs money and needs credentials; set
   * it for test doubles, the local provider or a sandbox account.
   */
  readonly liveCloud?: boolean;
  /** Default: a filesystem store in the scenario's temporary folder. */
  readonly storeFactory?: ConformanceStoreFactory;
  /** Resource type → fixture; replaces the default fixture of that type (see DEFAULT_FIXTURES). */
  readonly fixtures?: Readonly<Record<string, ResourceFixture>>;
  /** Per scenario, set-up and clean-up excluded; default 120 s. */
  readonly timeoutMs?: number;
}

/**
 * Optional interfaces a scenario may need: provider-level (`enumerator`, `validator`,
 * `drift_config`, `finalizer`) or driver-level, per resource type (the rest).
 */
export const conformanceCapabilities = Object.freeze([
  "adoption",
  "upsert",
  "replacer",
  "id_format",
  "troubleshooter",
  "enumerator",
  "validator",
  "drift_config",
  "finalizer",
] as const);
export type ConformanceCapability = (typeof conformanceCapabilities)[number];

/** What a fixture must provide beyond a config to create from (see ResourceFixture). */
export type FixtureRole = "update" | "replace" | "reference" | "tag";

export interface ScenarioNeeds {
  /**
   * The scenario works on resources: it gets every declared resource type that has a
   * fixture with the roles below (and, for a driver capability, whose driver has it),
   * these types first. `[]` prefers none. Absent: it uses no resource type.
   */
  readonly resourceTypes?: readonly string[];
  readonly fixture?: readonly FixtureRole[];
  readonly capability?: ConformanceCapability;
}

export interface Scenario {
  /** Stable kebab-case id, the key of ConformanceConfig.skip. */
  readonly id: string;
  readonly title: string;
  /** The upstream-iac.md §8 check numbers it covers, if any. */
  readonly checks?: readonly number[];
  readonly needs: ScenarioNeeds;
  /** True when it creates nothing through the provider (runs without liveCloud). */
  readonly offline: boolean;
  readonly smoke: boolean;
  /** Throws ConformanceFailure when the provider does not conform, ConformanceSkip to skip. */
  run(ctx: ScenarioContext): Promise<void>;
}

export type ScenarioStatus = "passed" | "failed" | "skipped";

export interface ScenarioResult {
  readonly id: string;
  readonly title: string;
  readonly status: ScenarioStatus;
  /** Why it was skipped, or what failed (naming the check, expected and got). */
  readonly reason?: string;
  readonly durationMs: number;
  /** Resource types it ran on. */
  readonly resourceTypes?: readonly string[];
  /** Problems that did not fail it, e.g. a resource clean-up could not delete. */
  readonly warnings?: readonly string[];
}

export interface ConformanceReport {
  /** The provider's name() and version(), when it could be initialised. */
  readonly provider?: { readonly name: string; readonly version: string };
  readonly results: readonly ScenarioResult[];
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}
