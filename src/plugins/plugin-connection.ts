/**
 * A running plugin and the JSON-RPC 2.0 connection to it (LSP framing over its
 * stdin/stdout, vscode-jsonrpc), as PLUGINS.md specifies. Requests may overlap and be
 * answered in any order. A plugin that exits, crashes or stops answering fails every
 * request in flight with an error naming it and its last stderr lines; later requests
 * fail at once (the next command starts it again). Error answers come back as the
 * seed's sentinel errors, so callers handle a plugin like an in-process provider.
 */
import { type ChildProcess, spawn } from "node:child_process";
import type { MessageConnection } from "vscode-jsonrpc/node";
import {
  type CallOptions,
  ErrProviderMethodUnimplemented,
  sentinelFromWireName,
  WrappedSentinelError,
} from "../contracts/index.js";
import { WfError } from "../diagnostics/index.js";
import type { InstalledPlugin } from "./plugin-directory.js";

/** vscode-jsonrpc, loaded with the first plugin: most commands start none (it costs ~60 ms). */
type Rpc = typeof import("vscode-jsonrpc/node");
let rpcModule: Promise<Rpc> | undefined;

/** JSON-RPC's "method not found": the plugin does not implement an optional method. */
const METHOD_NOT_FOUND = -32601;

export interface PluginConnectionOptions {
  /** A request unanswered this long means the plugin stopped answering (default 10 min). */
  readonly callTimeoutMs?: number;
  /** stderr lines kept for error messages (default 20). */
  readonly stderrLines?: number;
  /** Each stderr line of the plugin (its log), e.g. for `-v`. */
  readonly onStderr?: (line: string) => void;
  /** How long `close` waits for the plugin to exit after `shutdown` (default 5 s). */
  readonly shutdownTimeoutMs?: number;
}

export class PluginConnection {
  readonly name: string;
  readonly #rpc: Rpc;
  readonly #child: ChildProcess;
  readonly #connection: MessageConnection;
  readonly #callTimeoutMs: number;
  readonly #shutdownTimeoutMs: number;
  readonly #stderr: string[] = [];
  readonly #stderrLines: number;
  /** Set once the plugin is gone or broken: every request fails with it. */
  #failure: Error | undefined;
  readonly #onFailure = new Set<(err: Error) => void>();
  readonly #exited: Promise<void>;

  private constructor(rpc: Rpc, plugin: InstalledPlugin, options: PluginConnectionOptions) {
    this.#rpc = rpc;
    this.name = plugin.manifest.name;
    this.#callTimeoutMs = options.callTimeoutMs ?? 10 * 60_000;
    this.#shutdownTimeoutMs = options.shutdownTimeoutMs ?? 5_000;
    this.#stderrLines = options.stderrLines ?? 20;
    const [program, ...args] = plugin.manifest.command as [string, ...string[]];
    this.#child = spawn(program, args, { cwd: plugin.dir, stdio: ["pipe", "pipe", "pipe"] });
    let partial = "";
    this.#child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      const lines = (partial + chunk).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) this.#logLine(line, options.onStderr);
    });
    this.#exited = new Promise((resolve) => {
      this.#child.once("error", (err) => {
        this.#fail(
          new WfError(
            "WF_ERR_PLUGIN",
            `plugin "${this.name}" cannot start (${program}): ${err.message}`,
          ),
        );
        resolve();
      });
      this.#child.once("exit", (code, signal) => {
        if (partial !== "") this.#logLine(partial, options.onStderr);
        this.#fail(this.#error(`exited (${signal ? `signal ${signal}` : `code ${code}`})`));
        resolve();
      });
    });
    this.#connection = rpc.createMessageConnection(
      new rpc.StreamMessageReader(this.#child.stdout as NodeJS.ReadableStream),
      new rpc.StreamMessageWriter(this.#child.stdin as NodeJS.WritableStream),
    );
    this.#connection.onError(([err]) =>
      this.#fail(this.#error(`broke the protocol: ${err.message}`)),
    );
    // A write to a plugin that died is reported by its exit; the pipe error adds nothing.
    this.#child.stdin?.on("error", () => {});
    this.#connection.listen();
  }

  /** Starts the plugin's command in its folder. */
  static async start(
    plugin: InstalledPlugin,
    options: PluginConnectionOptions = {},
  ): Promise<PluginConnection> {
    rpcModule ??= import("vscode-jsonrpc/node");
    return new PluginConnection(await rpcModule, plugin, options);
  }

  /**
   * Sends `method` and resolves with the plugin's result. Rejects with the seed's
   * sentinel for an error carrying one (ErrProviderMethodUnimplemented for -32601),
   * and with WF_ERR_PLUGIN when the plugin fails, exits or does not answer in time.
   */
  request<T>(method: string, params: unknown, opts: CallOptions = {}): Promise<T> {
    if (this.#failure) return Promise.reject(this.#failure);
    const cancel = new this.#rpc.CancellationTokenSource();
    return new Promise<T>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        opts.signal?.removeEventListener("abort", aborted);
        this.#onFailure.delete(failed);
        cancel.dispose();
      };
      // The plugin is gone: no timer of this request may keep the process waiting.
      const failed = (err: Error) => {
        done();
        reject(err);
      };
      const aborted = () => {
        cancel.cancel();
        done();
        reject(opts.signal?.reason ?? new Error(`${method} was cancelled`));
      };
      const timer = setTimeout(() => {
        const limit = this.#callTimeoutMs;
        const within = limit < 1000 ? `${limit} ms` : `${Math.round(limit / 1000)} s`;
        this.#fail(this.#error(`did not answer ${method} within ${within}`));
      }, this.#callTimeoutMs);
      this.#onFailure.add(failed);
      opts.signal?.addEventListener("abort", aborted, { once: true });
      this.#connection.sendRequest<T>(method, params, cancel.token).then(
        (result) => {
          done();
          resolve(result);
        },
        (err: unknown) => {
          done();
          reject(this.#failure ?? this.#answerError(method, err));
        },
      );
    });
  }

  /** Asks the plugin to shut down and waits for it to exit; kills it if it does not. */
  async close(): Promise<void> {
    if (!this.#failure) {
      const shutdown = this.request("shutdown", {}).catch(() => undefined);
      await Promise.race([shutdown, sleep(this.#shutdownTimeoutMs)]);
      this.#child.stdin?.end();
    }
    const killed = setTimeout(() => this.#child.kill("SIGKILL"), this.#shutdownTimeoutMs);
    await this.#exited;
    clearTimeout(killed);
    this.#connection.dispose();
  }

  #logLine(line: string, onStderr: ((line: string) => void) | undefined): void {
    this.#stderr.push(line);
    if (this.#stderr.length > this.#stderrLines) this.#stderr.shift();
    onStderr?.(line);
  }

  /** An error naming the plugin, with its last stderr lines. */
  #error(what: string): WfError {
    const tail =
      this.#stderr.length > 0 ? `; its last stderr lines:\n  ${this.#stderr.join("\n  ")}` : "";
    return new WfError("WF_ERR_PLUGIN", `plugin "${this.name}" ${what}${tail}`);
  }

  /** The plugin is gone or broken: fail what is in flight, stop it, refuse what comes. */
  #fail(err: Error): void {
    if (this.#failure) return;
    this.#failure = err;
    for (const failed of [...this.#onFailure]) failed(err);
    if (this.#child.exitCode === null && this.#child.signalCode === null)
      this.#child.kill("SIGKILL");
  }

  /** An error answer as the seed's error it stands for. */
  #answerError(method: string, err: unknown): Error {
    if (!(err instanceof this.#rpc.ResponseError)) {
      return this.#error(`failed ${method}: ${(err as Error).message ?? String(err)}`);
    }
    if (err.code === METHOD_NOT_FOUND) {
      return new WrappedSentinelError(
        ErrProviderMethodUnimplemented,
        `plugin "${this.name}" does not implement ${method}: ${ErrProviderMethodUnimplemented.message}`,
      );
    }
    const wire = (err.data as { sentinel?: unknown } | undefined)?.sentinel;
    const sentinel = typeof wire === "string" ? sentinelFromWireName(wire) : undefined;
    if (sentinel) {
      // The plugin's own message, which names the sentinel's (the seed's load-bearing strings).
      const message = err.message.includes(sentinel.message)
        ? err.message
        : `${err.message}: ${sentinel.message}`;
      return new WrappedSentinelError(sentinel, message);
    }
    return new WfError("WF_ERR_PLUGIN", `plugin "${this.name}": ${method} failed: ${err.message}`);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
