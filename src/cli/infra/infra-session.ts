import os from "node:os";
import type { WorkflowConfig } from "../../config/index.js";
import { reconcileIntents } from "../../iac/apply/index.js";
import { type InfraModules, infraModules } from "../../iac/desired-resources.js";
import type { IacEventSink } from "../../iac/iac-events.js";
import { ProviderCatalog } from "../../iac/provider-catalog.js";
import { ProviderSet } from "../../iac/provider-set.js";
import { openStateStore, resolveStateConfig } from "../../iac/state/open-state-store.js";
import { STATE_LOCK, type StateLockHandle, type StateStore } from "../../iac/state/state-store.js";
import { type InstalledPlugin, listPlugins, pluginDir } from "../../plugins/plugin-directory.js";
import {
  type PluginRetry,
  RemoteProvider,
  type RemoteProviderOptions,
} from "../../plugins/remote-provider.js";
import { LocalProvider } from "../../providers/local/index.js";
import type { CliIO } from "../cli-io.js";
import { loadValidConfig } from "../command-config.js";
import type { GlobalOptions } from "../global-options.js";
import { InfraProgressView } from "../views/infra-progress-view.js";

/**
 * Everything an `infra` command works with: the loaded config, its infrastructure
 * modules, the state store (locked for commands that change state, with intents of
 * a crashed run reconciled first) and the initialised providers. Closing releases
 * all of it, in reverse order.
 */
export interface InfraSession extends AsyncDisposable {
  readonly config: WorkflowConfig;
  readonly infra: InfraModules;
  readonly store: StateStore;
  readonly providers: ProviderSet;
}

export interface SessionOptions {
  /** Take the state lock (apply, destroy, import, …). */
  readonly lock: boolean;
  readonly lockTimeoutMs?: number;
  /** Skip loading providers (state-only commands such as `state list`). */
  readonly withoutProviders?: boolean;
  /** Merged into every provider's initialize config. */
  readonly providerConfig?: Readonly<Record<string, unknown>>;
  readonly onEvent: IacEventSink;
}

/**
 * Providers by name: the plugins of the plugin directory that provide one
 * (docs/plugins.md), run with `options`, then the built-in `local` (a plugin cannot
 * shadow it).
 */
export function defaultProviderCatalog(
  plugins: readonly InstalledPlugin[] = [],
  options: (plugin: string) => RemoteProviderOptions = () => ({}),
): ProviderCatalog {
  const catalog = new ProviderCatalog();
  for (const plugin of plugins) {
    const name = plugin.manifest.iac?.provider;
    if (name === undefined) continue;
    catalog.register(name, () => new RemoteProvider(plugin, options(plugin.manifest.name)));
  }
  return catalog.register("local", () => new LocalProvider());
}

/** How a command runs plugins: their stderr is shown with -v, retries unless -q. */
function pluginOptions(globals: GlobalOptions, io: CliIO) {
  return (name: string): RemoteProviderOptions => ({
    ...(globals.verbose
      ? { onStderr: (line: string) => io.stderr.write(`[${name}] ${line}\n`) }
      : {}),
    ...(globals.quiet
      ? {}
      : {
          onRetry: (r: PluginRetry) =>
            io.stderr.write(
              `plugin ${name}: ${r.method}: ${r.error}; retry ${r.retry} of ${r.of} in ${r.delayMs} ms\n`,
            ),
        }),
  });
}

/** A session for a command, reporting engine events through the progress view on stderr. */
export function commandSession(
  globals: GlobalOptions,
  io: CliIO,
  argv: readonly string[],
  options: Partial<SessionOptions> & Pick<SessionOptions, "lock">,
): Promise<InfraSession> {
  return openInfraSession(globals, io, argv, {
    onEvent: new InfraProgressView(io.stderr, 0, globals.quiet).onEvent,
    ...options,
  });
}

export async function openInfraSession(
  globals: GlobalOptions,
  io: CliIO,
  argv: readonly string[],
  options: SessionOptions,
): Promise<InfraSession> {
  const config = await loadValidConfig(globals, io);
  const infra = infraModules(config);
  const cleanups: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  };
  try {
    const store = await openStateStore(infra.state?.config, {
      configDir: config.dir,
      identity: {
        user: os.userInfo().username,
        host: os.hostname(),
        pid: process.pid,
        command: ["wfctl", ...argv].join(" "),
      },
    });
    cleanups.push(() => store.close());
    let lock: StateLockHandle | undefined;
    if (options.lock) {
      const { lockTtlMs } = resolveStateConfig(infra.state?.config, config.dir);
      lock = await store.lock(STATE_LOCK, lockTtlMs, {
        waitMs: options.lockTimeoutMs ?? 0,
        onTakeover: (previous, reason) =>
          options.onEvent({ kind: "lock:takeover", previous, reason }),
      });
      const held = lock;
      cleanups.push(() => held.unlock());
    }
    const providers = options.withoutProviders
      ? ProviderSet.of({})
      : await ProviderSet.open(
          infra.providers,
          defaultProviderCatalog(
            listPlugins(
              pluginDir({
                flag: globals.pluginDir,
                env: io.env,
                configDir: config.dir,
                cwd: io.cwd,
              }),
            ).plugins,
            pluginOptions(globals, io),
          ),
          config.dir,
          options.providerConfig,
        );
    cleanups.push(() => providers.close());
    if (lock) await reconcileIntents(store, providers, options.onEvent);
    return { config, infra, store, providers, [Symbol.asyncDispose]: close };
  } catch (err) {
    await close();
    throw err;
  }
}
