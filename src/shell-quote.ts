/** One word for `/bin/sh`: single-quoted, so nothing in it is expanded. */
export function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** argv as one `/bin/sh` command line. */
export function shellLine(argv: readonly string[]): string {
  return argv.map(shellQuote).join(" ");
}
