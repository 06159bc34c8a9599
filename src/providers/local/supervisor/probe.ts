import { request } from "node:http";
import { connect } from "node:net";
import type { ProbeSpec } from "./supervisor-protocol.js";

/** Where replicas are reached: they bind PORT on all interfaces or on loopback. */
export const REPLICA_HOST = "127.0.0.1";

/** One probe attempt: an HTTP GET answered 2xx/3xx, or a TCP connect, within the timeout. */
export function probeOnce(spec: ProbeSpec, replicaPort: number | undefined): Promise<boolean> {
  const port = spec.port ?? replicaPort;
  if (port === undefined) return Promise.resolve(false);
  return spec.http_path === undefined
    ? tcpProbe(port, spec.timeout_ms)
    : httpProbe(port, spec.http_path, spec.timeout_ms);
}

function httpProbe(port: number, path: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(
      { host: REPLICA_HOST, port, path, method: "GET", agent: false, timeout: timeoutMs },
      (res) => {
        res.resume();
        const code = res.statusCode ?? 0;
        resolve(code >= 200 && code < 400);
      },
    );
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(false));
    req.end();
  });
}

function tcpProbe(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: REPLICA_HOST, port, timeout: timeoutMs });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(false));
  });
}

/**
 * Runs a probe every period after the initial delay and reports transitions once a
 * threshold of consecutive results is reached. Attempts never overlap.
 */
export class ProbeLoop {
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  #successes = 0;
  #failures = 0;

  constructor(
    private readonly spec: ProbeSpec,
    private readonly port: number | undefined,
    private readonly onResult: (passing: boolean) => void,
  ) {}

  start(): void {
    this.#schedule(this.spec.initial_delay_ms);
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => void this.#tick(), delayMs);
  }

  async #tick(): Promise<void> {
    const ok = await probeOnce(this.spec, this.port);
    if (this.#stopped) return;
    if (ok) {
      this.#failures = 0;
      this.#successes += 1;
      if (this.#successes >= Math.max(1, this.spec.success_threshold)) this.onResult(true);
    } else {
      this.#successes = 0;
      this.#failures += 1;
      if (this.#failures >= Math.max(1, this.spec.failure_threshold)) this.onResult(false);
    }
    this.#schedule(this.spec.period_ms);
  }
}
