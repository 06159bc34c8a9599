// Builds the static site into dist/.
import { mkdirSync, writeFileSync } from "node:fs";

mkdirSync("dist", { recursive: true });
writeFileSync(
  "dist/index.html",
  "<!doctype html><title>local stack</title><h1>Served by wfctl's local provider</h1>\n",
);
