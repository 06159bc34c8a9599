import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { ErrResourceNotFound, errorIs, type IaCProvider } from "../../contracts/index.js";
import { toError } from "../../diagnostics/index.js";
import { ProviderSet } from "../provider-set.js";
import { processLockIdentity } from "../state/lock-identity.js";
import { openStateStore } from "../state/open-state-store.js";
import type { StateStore } from "../state/state-store.js";
import { CallRecorder } from "./call-recorder.js";
import { capabilityLabel, isDriverCapability, providerHas } from "./capability-probes.js";
import { ConformanceFailure, ConformanceSkip } from "./conformance-failure.js";
import type { ConformanceConfig, Scenario, ScenarioResult } from "./conformance-types.js";
import { DEFAULT_FIXTURES } from "./fixtures.js";
import { CONFORMANCE_MODULE, resolveSubjects, ScenarioContext } from "./scenario-context.js";

/** How long `initialize` may take (upstream: the plugin handshake within 30 s). */
export const INITIALIZE_TIMEOUT_MS = 30_000;
export const DEFAULT_SCENARIO_TIMEOUT_MS = 120_000;
/** Clean-up of what a scenario created gets this long, whatever the scenario did. */
const CLEANUP_TIMEOUT_MS = 60_000;

/** A scenario's result, with what was thrown when it failed (for stack traces; not serialised). */
export interface ScenarioOutcome {
  readonly result: ScenarioResult;
  readonly error?: Error;
  readonly provider?: { readonly name: string; readonly version: string };
}

/**
 * Runs one scenario in isolation: its own temporary folder, state store and freshly
 * initialised provider; whatever it created through the provider is deleted again
 * afterwards, pass or fail. Never throws: every way it ends is a result.
 */
export async function runScenario(
  scenario: Scenario,
  config: ConformanceConfig,
): Promise<ScenarioOutcome> {
  const started = performance.now();
  const finish = (ended: Ended, warnings: readonly string[] = []): ScenarioOutcome => {
    const { error, provider, ...rest } = ended;
    return {
      result: {
        id: scenario.id,
        title: scenario.title,
        ...rest,
        ...(warnings.length > 0 ? { warnings: [...warnings] } : {}),
        durationMs: Math.round(performance.now() - started),
      },
      ...(error ? { error } : {}),
      ...(provider ? { provider } : {}),
    };
  };
  const skipped = staticSkip(scenario, config);
  if (skipped !== undefined) return finish({ status: "skipped", reason: skipped });

  const workDir = await mkdtemp(path.join(tmpdir(), `wfctl-conformance-${scenario.id}-`));
  const run = new Run(scenario, config, workDir);
  try {
    const ended = await run.attempt();
    return finish(ended, await run.cleanUp());
  } finally {
    await rm(workDir, { recursive: true, force: true }).catch(() => {});
  }
}

/** How a scenario ended, before clean-up. */
interface Ended extends Pick<ScenarioResult, "status" | "reason" | "resourceTypes"> {
  readonly error?: Error;
  readonly provider?: ScenarioOutcome["provider"];
}

/** One scenario's run: set-up, the scenario under its time limit, clean-up. */
class Run {
  readonly #controller = new AbortController();
  readonly #recorder = new CallRecorder();
  #raw: IaCProvider | undefined;
  #store: StateStore | undefined;
  #info: ScenarioOutcome["provider"];

  constructor(
    readonly scenario: Scenario,
    readonly config: ConformanceConfig,
    readonly workDir: string,
  ) {}

  async attempt(): Promise<Ended> {
    try {
      return await this.#attempt();
    } catch (err) {
      const provider = this.#info;
      if (ConformanceSkip.is(err)) return { status: "skipped", reason: err.message, provider };
      const error = toError(err);
      const reason = ConformanceFailure.is(err)
        ? error.message
        : `unexpected error: ${error.message}`;
      return { status: "failed", reason, error, provider };
    }
  }

  async #attempt(): Promise<Ended> {
    const { scenario, config, workDir } = this;
    this.#store = await (config.storeFactory ?? defaultStore)(workDir);
    this.#raw = await config.provider(config.providerConfig ?? {});
    await initialize(this.#raw, config, workDir);
    const provider = this.#recorder.wrap(this.#raw);
    this.#info = { name: provider.name(), version: provider.version() };
    const skip = (reason: string): Ended => ({ status: "skipped", reason, provider: this.#info });

    const capability = scenario.needs.capability;
    if (capability && !isDriverCapability(capability) && !providerHas(provider, capability)) {
      return skip(`the provider does not implement ${capabilityLabel(capability)}`);
    }
    const fixtures = { ...DEFAULT_FIXTURES, ...config.fixtures };
    const subjects = await resolveSubjects(provider, fixtures, scenario.needs);
    if (typeof subjects === "string") return skip(subjects);
    const ctx = new ScenarioContext({
      provider,
      recorder: this.#recorder,
      providers: ProviderSet.of({ [CONFORMANCE_MODULE]: provider }),
      store: this.#store,
      signal: this.#controller.signal,
      fixtures,
      subjects,
      suffix: randomBytes(3).toString("hex"),
    });
    const limit = config.timeoutMs ?? DEFAULT_SCENARIO_TIMEOUT_MS;
    await withTimeout(
      scenario.run(ctx),
      limit,
      this.#controller,
      () =>
        new ConformanceFailure(
          "time",
          "the scenario finishes within timeoutMs",
          `at most ${limit} ms`,
          "still running",
        ),
    );
    return {
      status: "passed",
      ...(subjects.length > 0 ? { resourceTypes: subjects.map((s) => s.type) } : {}),
      provider: this.#info,
    };
  }

  /** Deletes what driver calls produced (not-found is fine), closes everything; returns warnings. */
  async cleanUp(): Promise<string[]> {
    this.#controller.abort(new Error("scenario finished"));
    const warnings: string[] = [];
    const raw = this.#raw;
    if (raw) {
      warnings.push(...(await deleteProduced(raw, this.#recorder)));
      await raw.close().catch((err: unknown) => {
        warnings.push(`close: ${toError(err).message}`);
      });
    }
    await this.#store?.close().catch((err: unknown) => {
      warnings.push(`closing the state store: ${toError(err).message}`);
    });
    return warnings;
  }
}

function staticSkip(scenario: Scenario, config: ConformanceConfig): string | undefined {
  const reason = config.skip?.[scenario.id];
  if (reason !== undefined) return reason;
  if (config.smokeOnly && !scenario.smoke) return "smoke run: only smoke scenarios run";
  if (!scenario.offline && !config.liveCloud) {
    return "creates resources through the provider; set liveCloud: true to run it (safe for test doubles and local providers, costs money on a real cloud)";
  }
  return undefined;
}

function defaultStore(workDir: string): Promise<StateStore> {
  return openStateStore(undefined, {
    configDir: workDir,
    identity: processLockIdentity("wfctl conformance"),
  });
}

async function initialize(
  provider: IaCProvider,
  config: ConformanceConfig,
  workDir: string,
): Promise<void> {
  const controller = new AbortController();
  const call = provider.initialize(
    { ...config.providerConfig, _config_dir: workDir },
    { signal: controller.signal },
  );
  try {
    await withTimeout(call, INITIALIZE_TIMEOUT_MS, controller);
  } catch (err) {
    throw new ConformanceFailure(
      "§8.29",
      "the provider initialises",
      `initialize to resolve within ${INITIALIZE_TIMEOUT_MS / 1000} s`,
      `error: ${toError(err).message}`,
      err,
    );
  }
}

/** `work`, or a rejection after `ms` (aborting `controller` so the work can stop). */
async function withTimeout<T>(
  work: Promise<T>,
  ms: number,
  controller: AbortController,
  timeoutError: () => Error = () => new Error(`did not finish within ${ms} ms`),
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = timeoutError();
      controller.abort(err);
      reject(err);
    }, ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Deletes every resource the scenario's driver calls produced; not-found is fine. */
async function deleteProduced(provider: IaCProvider, recorder: CallRecorder): Promise<string[]> {
  const warnings: string[] = [];
  const controller = new AbortController();
  const work = (async () => {
    for (const ref of recorder.produced()) {
      try {
        await provider.resourceDriver(ref.type).delete(ref, { signal: controller.signal });
      } catch (err) {
        if (!errorIs(err, ErrResourceNotFound)) {
          warnings.push(
            `clean-up could not delete ${ref.type} "${ref.name}" (${ref.provider_id}): ${toError(err).message}`,
          );
        }
      }
    }
  })();
  await withTimeout(work, CLEANUP_TIMEOUT_MS, controller).catch((err: unknown) => {
    warnings.push(`clean-up: ${toError(err).message}`);
  });
  return warnings;
}
