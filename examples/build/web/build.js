// Example build target: writes dist/web.js.
import { mkdirSync, writeFileSync } from "node:fs";

mkdirSync("dist", { recursive: true });
writeFileSync("dist/web.js", `console.log("built for ${process.env.NODE_ENV}");\n`);
