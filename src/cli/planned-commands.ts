import type { Command } from "commander";
import { WfError } from "../diagnostics/index.js";

/**
 * Command groups of docs/cli.md whose subsystem is not built yet. They appear in
 * --help so the CLI's shape is visible, and say plainly that they are not available
 * (exit 1) rather than pretending to work. Each moves to its own file as it lands.
 */
interface PlannedGroup {
  readonly name: string;
  readonly args: string;
  readonly summary: string;
  readonly subsystem: string;
  readonly example: string;
}

const plannedGroups: readonly PlannedGroup[] = [
  {
    name: "build",
    args: "",
    summary: "run the config's build targets, firing plugin hook events",
    subsystem: "build",
    example: "wfctl build -c examples/build/wfctl.yaml --target web",
  },
];

export function registerPlannedCommands(program: Command): void {
  for (const group of plannedGroups) {
    const command = program
      .command(group.args ? `${group.name} ${group.args}` : group.name)
      .description(`${group.summary} (not available yet)`)
      .allowUnknownOption()
      .allowExcessArguments()
      .helpOption("-h, --help", "display help for command")
      .addHelpText(
        "after",
        `
Not available yet: the ${group.subsystem} subsystem is not built in this version of wfctl.

Example (once available):
  $ ${group.example}`,
      );
    command.action(() => {
      throw new WfError(
        "WF_ERR_NOT_IMPLEMENTED",
        `wfctl ${group.name}: not available yet: the ${group.subsystem} subsystem is not built in this version of wfctl`,
      );
    });
  }
}
