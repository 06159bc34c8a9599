/**
 * Runs every bench/*.bench.ts in turn (or those named on the command line); each
 * prints its own figures. Not part of `npm test`: timings are measured, never asserted.
 */
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const dir = fileURLToPath(new URL(".", import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.includes(w)))
  .sort();

for (const file of files) {
  console.log(`\n== ${file}`);
  await import(new URL(file, import.meta.url).href);
}
