import pino, { type Logger } from "pino";

/** Where log lines go: anything with write (stdout, stderr, a test's buffer). */
export interface LogSink {
  write(line: string): unknown;
}

/**
 * The engine's logger: pino JSON lines (one per event, with `pipeline`,
 * `execution_id`, `request_id` where known), to `sink`.
 */
export function createLogger(sink: LogSink, level = "info"): Logger {
  return pino(
    { level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime },
    { write: (line: string) => sink.write(line) },
  );
}
