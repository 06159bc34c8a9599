/**
 * The streams a command writes to, injected so tests capture them. Human output goes
 * to stdout; progress, warnings and errors to stderr; with --json only the JSON
 * document is written to stdout.
 */
export interface OutputStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
}

export interface CliIO {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly stdinIsTTY: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

export function processIO(): CliIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdinIsTTY: Boolean(process.stdin.isTTY),
    env: process.env,
    cwd: process.cwd(),
  };
}

/** Colour only for a terminal, and never when NO_COLOR is set or --no-color was given. */
export function useColor(stream: OutputStream, env: CliIO["env"], colorFlag: boolean): boolean {
  return colorFlag && stream.isTTY === true && !env.NO_COLOR && env.TERM !== "dumb";
}
