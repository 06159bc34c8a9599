/** Exit codes every command shares (docs/cli.md). */
export const ExitCode = {
  ok: 0,
  error: 1,
  /** Changes or drift present, where a command says so (`--detailed-exitcode`, `infra drift`). */
  changes: 2,
  /** A state lock is held by someone else. */
  lockHeld: 3,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
