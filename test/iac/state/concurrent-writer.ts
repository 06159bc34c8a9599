// Child process of filesystem-store.test.ts: saves resources into a shared state folder
// while other processes do the same. Args: DIRECTORY PREFIX COUNT.
import { hostname } from "node:os";
import { openFilesystemStore } from "../../../src/iac/state/filesystem/index.js";
import { resourceState } from "./store-fixtures.js";

const [directory = "", prefix = "", count = "0"] = process.argv.slice(2);
const store = await openFilesystemStore({
  directory,
  identity: { user: prefix, host: hostname(), pid: process.pid, command: "concurrent-writer" },
});
for (let i = 0; i < Number(count); i++) {
  await store.saveResource(resourceState(`${prefix}-${i}`));
  // Everyone rewrites one large record, so superseded lines pile up and compactions run.
  await store.saveResource(
    resourceState("shared", { outputs: { by: prefix, i, blob: "x".repeat(10_000) } }),
  );
}
await store.close();
