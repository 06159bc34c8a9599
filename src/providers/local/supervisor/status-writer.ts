import { writeJsonAtomic } from "./spec-file.js";
import type { SupervisorStatus } from "./supervisor-protocol.js";

const HEARTBEAT_MS = 1_000;

/**
 * Keeps `status.json` current: rewritten (atomically) soon after every change, with
 * changes in the same tick written once, and at least every second so that a stale
 * `updated_at` tells a reader the supervisor is gone.
 */
export class StatusWriter {
  #pending = false;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly path: string,
    private readonly snapshot: () => SupervisorStatus,
    private readonly onError: (message: string) => void,
  ) {}

  start(): void {
    this.writeNow();
    this.#timer = setInterval(() => this.writeNow(), HEARTBEAT_MS);
  }

  changed(): void {
    if (this.#pending) return;
    this.#pending = true;
    setImmediate(() => this.writeNow());
  }

  writeNow(): void {
    this.#pending = false;
    try {
      writeJsonAtomic(this.path, this.snapshot());
    } catch (error) {
      this.onError(`cannot write ${this.path}: ${(error as Error).message}`);
    }
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
