import { stat } from "node:fs/promises";
import path from "node:path";
import {
  type CallOptions,
  type CORSSpec,
  ErrValidation,
  type ResourceDriver,
  type ResourceOutput,
  type ResourceRef,
  type ResourceSpec,
  type RouteSpec,
  wrapSentinel,
} from "../../contracts/index.js";
import { shellQuote } from "../../shell-quote.js";
import { corsPolicy, routeRules, WEB_GROUP } from "./balancer-policy.js";
import { runtimeChanged } from "./config-compare.js";
import type { LocalContext } from "./local-context.js";
import { allocatePort } from "./ports.js";
import { baseEnv, RESTART_BACKOFF } from "./service-spec.js";
import { STATIC_SERVER_FILE, STATIC_SERVER_SOURCE } from "./static-server.js";
import { SupervisedDriver } from "./supervised-driver.js";
import {
  SUPERVISOR_PROTOCOL_VERSION,
  type SupervisorSpec,
} from "./supervisor/supervisor-protocol.js";
import { liveSupervisorPid, logDir, readStatus } from "./supervisor-client.js";
import { type ResourceRecord, writeFileAtomic } from "./workdir.js";

export const STATIC_SITE_TYPE = "infra.static_site";

interface StaticSiteConfig {
  source_dir?: string;
  build_command?: string;
  output_dir?: string;
  http_port?: number;
  env_vars?: Record<string, string>;
  routes?: RouteSpec[];
  cors?: CORSSpec;
}

/**
 * `infra.static_site` on this machine: `build_command` in `source_dir`, then the
 * files of `output_dir` served on `http_port` (default: a free port) by a small
 * static server under the site's supervisor. Files are served from `output_dir` in
 * place, so a rebuild outside wfctl shows at once.
 */
export class StaticSiteDriver extends SupervisedDriver implements ResourceDriver {
  constructor(ctx: LocalContext) {
    super(ctx, STATIC_SITE_TYPE);
  }

  protected async output(record: ResourceRecord): Promise<ResourceOutput> {
    const dir = this.dir(record.name);
    const port = record.data?.port as number;
    const status = await readStatus(dir);
    return {
      name: record.name,
      type: record.type,
      provider_id: record.id,
      outputs: {
        url: `http://127.0.0.1:${port}`,
        port,
        path: this.#siteRoot(record.config as StaticSiteConfig),
        supervisor_pid: await liveSupervisorPid(dir),
        log_dir: logDir(dir),
      },
      status: status?.ready ? "running" : "degraded",
    };
  }

  async create(spec: ResourceSpec, opts: CallOptions = {}): Promise<ResourceOutput> {
    const config = checkConfig(spec);
    await this.checkHttpPort(spec.name, config.http_port);
    const port = config.http_port ?? (await allocatePort());
    const record = await this.claim(spec, { port });
    await this.firstDeploy(record, () => this.#deploy(record, config, port, 1, opts.signal));
    return this.output(record);
  }

  async update(
    ref: ResourceRef,
    spec: ResourceSpec,
    opts: CallOptions = {},
  ): Promise<ResourceOutput> {
    const config = checkConfig(spec);
    const record = await this.locateFor(ref, spec);
    if (!record) return this.create(spec, opts);
    const applied = record.config as StaticSiteConfig;
    let port = record.data?.port as number;
    if (config.http_port !== applied.http_port) {
      await this.checkHttpPort(spec.name, config.http_port);
      port = config.http_port ?? (await allocatePort());
    }
    const live = await this.isLive(record);
    const updated = await this.rewrite(record, spec.config, { port });
    if (live && !runtimeChanged(spec.config, record.config)) return this.output(updated);
    await this.#deploy(updated, config, port, await this.nextGeneration(record.name), opts.signal);
    return this.output(updated);
  }

  async scale(ref: ResourceRef): Promise<ResourceOutput> {
    throw wrapSentinel(
      ErrValidation,
      `${ref.name}: a local static site runs one server; it cannot be scaled`,
    );
  }

  async sensitiveKeys(): Promise<string[]> {
    return [];
  }

  #sourceDir(config: StaticSiteConfig): string {
    return path.resolve(this.ctx.configDir, config.source_dir ?? ".");
  }

  #siteRoot(config: StaticSiteConfig): string {
    return path.resolve(this.#sourceDir(config), config.output_dir ?? ".");
  }

  async #deploy(
    record: ResourceRecord,
    config: StaticSiteConfig,
    port: number,
    generation: number,
    signal?: AbortSignal,
  ): Promise<void> {
    await this.build(
      record.name,
      config.build_command,
      this.#sourceDir(config),
      config.env_vars ?? {},
      signal,
    );
    const root = this.#siteRoot(config);
    const isDir = await stat(root).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (!isDir) {
      throw new Error(
        `${record.name}: output_dir ${root} is not a folder${config.build_command ? " after build_command" : ""}; check output_dir (relative to source_dir)`,
      );
    }
    const dir = this.dir(record.name);
    await writeFileAtomic(path.join(dir, STATIC_SERVER_FILE), STATIC_SERVER_SOURCE, 0o644);
    await this.run(
      record.name,
      staticSiteSpec(record.name, config, { dir, root, port, generation }),
      signal,
    );
  }
}

/**
 * One static server on a free port behind the supervisor's balancer on the site's
 * port, which applies `routes` and `cors` as it does for a service and keeps the
 * site answering while an update rolls the server.
 */
function staticSiteSpec(
  name: string,
  config: StaticSiteConfig,
  where: { dir: string; root: string; port: number; generation: number },
): SupervisorSpec {
  const { dir, root, port, generation } = where;
  return {
    version: SUPERVISOR_PROTOCOL_VERSION,
    resource: name,
    type: STATIC_SITE_TYPE,
    generation,
    groups: [
      {
        name: WEB_GROUP,
        command: `exec ${shellQuote(process.execPath)} ${STATIC_SERVER_FILE}`,
        cwd: dir,
        env: { ...baseEnv(), SITE_ROOT: root },
        instances: 1,
        port: true,
        health: {
          initial_delay_ms: 0,
          period_ms: 200,
          timeout_ms: 1000,
          success_threshold: 1,
          failure_threshold: 3,
        },
      },
    ],
    balancer: {
      host: "127.0.0.1",
      port,
      strategy: "round_robin",
      group: WEB_GROUP,
      ...(config.cors ? { cors: corsPolicy(name, config.cors) } : {}),
      ...(config.routes?.length ? { routes: routeRules(config.routes) } : {}),
    },
    termination: { drain_ms: 0, grace_ms: 5_000 },
    restart: RESTART_BACKOFF,
  };
}

function checkConfig(spec: ResourceSpec): StaticSiteConfig {
  const config = spec.config as StaticSiteConfig;
  if (typeof config.output_dir !== "string" || config.output_dir === "") {
    throw wrapSentinel(ErrValidation, `${spec.name}: set output_dir, the folder of files to serve`);
  }
  return config;
}
