import path from "node:path";

/** How a file is named in messages: relative to `cwd` when inside it, else absolute. */
export function displayPath(absolute: string, cwd: string): string {
  const relative = path.relative(cwd, absolute);
  const outside = relative === ".." || relative.startsWith(`..${path.sep}`);
  if (relative === "" || outside || path.isAbsolute(relative)) return absolute;
  return relative;
}
