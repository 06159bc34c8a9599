const MASK = "***";

/**
 * A PostgreSQL connection string fit for messages: the password (in the URL's user
 * info, a `password=` query parameter, or a `password=` keyword of the key=value form)
 * is replaced by `***`; everything else is kept so people can see where state lives.
 */
export function redactDsn(dsn: string): string {
  if (/^postgres(?:ql)?:\/\//i.test(dsn)) {
    try {
      const url = new URL(dsn);
      if (url.password !== "") url.password = MASK;
      for (const key of [...url.searchParams.keys()]) {
        if (/password/i.test(key)) url.searchParams.set(key, MASK);
      }
      return url.toString();
    } catch {
      // Not a valid URL: mask everything between `user:` and the last `@`.
      return dsn.replace(/^([a-z]+:\/\/[^:/@]*:).*@/i, `$1${MASK}@`);
    }
  }
  // key=value form; a value may be single-quoted with backslash escapes.
  return dsn.replace(/(\b\w*password\s*=\s*)(?:'(?:[^'\\]|\\.)*'|\S*)/gi, `$1${MASK}`);
}
