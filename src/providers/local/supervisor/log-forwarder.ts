import { closeSync, openSync, readdirSync, readSync, statSync } from "node:fs";
import { join } from "node:path";
import { Backoff } from "./backoff.js";
import type { LogDestination } from "./supervisor-protocol.js";

const POLL_MS = 200;
const BATCH_LINES = 100;
const BATCH_MS = 1_000;
/** Batches kept per destination while it fails; older ones are dropped (and that is logged). */
const MAX_QUEUED_BATCHES = 1_000;
const RETRY = { initial_ms: 500, max_ms: 30_000 } as const;
const POST_TIMEOUT_MS = 10_000;
/** How long a stopping supervisor waits for the last lines to be delivered. */
const STOP_FLUSH_MS = 2_000;

/** A log file to follow: a replica's output. */
export interface LogSource {
  readonly group: string;
  readonly index: number;
  readonly file: string;
}

/** One source per log file: during a roll the old and new replica of a slot share it. */
export function logSources(
  replicas: readonly { group: { name: string }; index: number; logFile: string }[],
): LogSource[] {
  const byFile = new Map<string, LogSource>();
  for (const r of replicas)
    byFile.set(r.logFile, { group: r.group.name, index: r.index, file: r.logFile });
  return [...byFile.values()];
}

interface Batch {
  readonly resource: string;
  readonly group: string;
  readonly index: number;
  readonly lines: string[];
}

interface Tail {
  offset: number;
  partial: string;
  lines: string[];
  since: number;
}

/**
 * Forwards replica log lines to HTTP endpoints: follows each replica's log file
 * from where it was when first seen, batches lines per replica, and POSTs each batch
 * to every destination. A failing destination is retried with backoff on its own
 * queue, so it never blocks replicas, other destinations or the supervisor.
 */
export class LogForwarder {
  #destinations: readonly LogDestination[] = [];
  readonly #queues = new Map<string, { batches: Batch[]; sending: boolean; dropped: number }>();
  readonly #tails = new Map<string, Tail>();
  /** Sizes of the log files when forwarding began: what was there then is not sent. */
  #baseline = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(
    private readonly resource: string,
    private readonly logDir: string,
    private readonly sources: () => readonly LogSource[],
    private readonly log: (message: string) => void,
  ) {}

  update(destinations: readonly LogDestination[]): void {
    this.#destinations = destinations;
    for (const name of [...this.#queues.keys()]) {
      if (!destinations.some((d) => d.name === name)) this.#queues.delete(name);
    }
    if (destinations.length > 0 && !this.#timer && !this.#stopped) {
      this.#baseline = this.#sizes();
      this.#timer = setInterval(() => this.#poll(), POLL_MS);
    } else if (destinations.length === 0) {
      clearInterval(this.#timer);
      this.#timer = undefined;
      this.#tails.clear();
    }
  }

  /** Sends what the files hold now (for up to 2 s), and stops following them. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    if (this.#destinations.length > 0 && !this.#stopped) {
      this.#poll(true);
      const until = Date.now() + STOP_FLUSH_MS;
      const pending = () => [...this.#queues.values()].some((q) => q.batches.length > 0);
      while (pending() && Date.now() < until) await sleep(25);
    }
    this.#stopped = true;
  }

  #poll(flushAll = false): void {
    const now = Date.now();
    for (const source of this.sources()) {
      const tail = this.#tails.get(source.file) ?? this.#follow(source.file);
      this.#read(source.file, tail);
      while (tail.lines.length >= BATCH_LINES)
        this.#emit(source, tail.lines.splice(0, BATCH_LINES));
      if (tail.lines.length > 0 && (flushAll || now - tail.since >= BATCH_MS)) {
        this.#emit(source, tail.lines.splice(0));
      }
    }
  }

  #sizes(): Map<string, number> {
    const sizes = new Map<string, number>();
    try {
      for (const name of readdirSync(this.logDir)) {
        const file = join(this.logDir, name);
        sizes.set(file, statSync(file).size);
      }
    } catch {
      // No logs yet.
    }
    return sizes;
  }

  #follow(file: string): Tail {
    const tail = {
      offset: this.#baseline.get(file) ?? 0,
      partial: "",
      lines: [],
      since: Date.now(),
    };
    this.#tails.set(file, tail);
    return tail;
  }

  #read(file: string, tail: Tail): void {
    let fd: number;
    try {
      fd = openSync(file, "r");
    } catch {
      return;
    }
    try {
      const size = statSync(file).size;
      if (size < tail.offset) tail.offset = 0;
      while (tail.offset < size) {
        const buffer = Buffer.alloc(Math.min(size - tail.offset, 1 << 20));
        const n = readSync(fd, buffer, 0, buffer.length, tail.offset);
        if (n === 0) break;
        tail.offset += n;
        const parts = (tail.partial + buffer.toString("utf8", 0, n)).split("\n");
        tail.partial = parts.pop() ?? "";
        if (tail.lines.length === 0 && parts.length > 0) tail.since = Date.now();
        tail.lines.push(...parts);
      }
    } finally {
      closeSync(fd);
    }
  }

  #emit(source: LogSource, lines: string[]): void {
    const batch: Batch = {
      resource: this.resource,
      group: source.group,
      index: source.index,
      lines,
    };
    for (const destination of this.#destinations) {
      let queue = this.#queues.get(destination.name);
      if (!queue) {
        queue = { batches: [], sending: false, dropped: 0 };
        this.#queues.set(destination.name, queue);
      }
      queue.batches.push(batch);
      if (queue.batches.length > MAX_QUEUED_BATCHES) {
        queue.batches.shift();
        queue.dropped += 1;
      }
      if (!queue.sending) void this.#drain(destination, queue);
    }
  }

  async #drain(
    destination: LogDestination,
    queue: { batches: Batch[]; sending: boolean; dropped: number },
  ): Promise<void> {
    queue.sending = true;
    const backoff = new Backoff(RETRY);
    while (queue.batches.length > 0 && !this.#stopped) {
      if (queue.dropped > 0) {
        this.log(
          `log destination ${destination.name}: dropped ${queue.dropped} batches while failing`,
        );
        queue.dropped = 0;
      }
      if (await this.#post(destination, [queue.batches[0]!])) {
        queue.batches.shift();
        continue;
      }
      const delay = backoff.delayAfter(0);
      this.log(`log destination ${destination.name}: retrying in ${delay} ms`);
      await sleep(delay);
      if (this.#queues.get(destination.name) !== queue) break;
    }
    queue.sending = false;
  }

  /** POSTs the batches in order; false (and logged) at the first failure. */
  async #post(destination: LogDestination, batches: readonly Batch[]): Promise<boolean> {
    for (const batch of batches) {
      try {
        const res = await fetch(destination.endpoint, {
          method: "POST",
          headers: { ...destination.headers, "content-type": "application/json" },
          body: JSON.stringify(batch),
          signal: AbortSignal.timeout(POST_TIMEOUT_MS),
        });
        await res.arrayBuffer().catch(() => undefined);
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
      } catch (error) {
        this.log(
          `log destination ${destination.name}: cannot POST to ${destination.endpoint}: ${(error as Error).message}`,
        );
        return false;
      }
    }
    return true;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
