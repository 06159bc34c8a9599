// How long a user waits for the CLI: process start to exit, through bin/wfctl.js (tsx).
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { report, time } from "./stats.js";

const root = fileURLToPath(new URL("../", import.meta.url));
const wfctl = (...args: string[]) =>
  execFileSync(process.execPath, ["bin/wfctl.js", ...args], { cwd: root, stdio: "pipe" });

wfctl("--version"); // warm the transform cache, as a second run by a user would be
report("wfctl --version", await time(10, () => wfctl("--version")));
report(
  "wfctl validate examples/app",
  await time(10, () => wfctl("validate", "-c", "examples/app/wfctl.yaml")),
);
report(
  "wfctl validate examples/infra",
  await time(10, () => wfctl("validate", "-c", "examples/infra/wfctl.yaml")),
);
