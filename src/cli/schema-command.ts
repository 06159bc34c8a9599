import type { Command } from "commander";
import { buildConfigSchema } from "../config/index.js";
import { createDefaultRegistry } from "../config-types.js";
import type { CliIO } from "./cli-io.js";

export function registerSchemaCommand(program: Command, io: CliIO) {
  program
    .command("schema")
    .description("print the JSON Schema of wfctl.yaml, for editor completion and validation")
    .addHelpText(
      "after",
      `
With the YAML language server (VS Code's YAML extension), put this first in wfctl.yaml:
  # yaml-language-server: $schema=./wfctl.schema.json

Example:
  $ wfctl schema > wfctl.schema.json`,
    )
    .action(() => {
      io.stdout.write(`${JSON.stringify(buildConfigSchema(createDefaultRegistry()), null, 2)}\n`);
    });
}
