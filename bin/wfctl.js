#!/usr/bin/env node
// Runs the bundle that `npm ci` / `npm run build` writes (dist/wfctl.mjs): fast to start.
// Without it, or with WFCTL_FROM_SOURCE=1, runs the TypeScript sources through tsx.
import { existsSync } from "node:fs";

const bundle = new URL("../dist/wfctl.mjs", import.meta.url);
let main;
if (existsSync(bundle) && process.env.WFCTL_FROM_SOURCE !== "1") {
  ({ main } = await import(bundle.href));
} else {
  const { register } = await import("tsx/esm/api");
  register();
  ({ main } = await import("../src/cli/main.ts"));
}
process.exitCode = await main(process.argv.slice(2));
