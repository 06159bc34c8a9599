import type { Command } from "commander";
import type { CliIO } from "../cli-io.js";
import { registerApplyCommand } from "./apply-command.js";
import { registerDestroyCommand } from "./destroy-command.js";
import { registerInspectCommands } from "./inspect-commands.js";
import { registerMaintenanceCommands } from "./maintenance-commands.js";
import { registerPlanCommand } from "./plan-command.js";
import { registerStateCommands } from "./state-commands.js";

/** `wfctl infra …`: thin commands over the IaC engine (src/iac). */
export function registerInfraCommands(
  program: Command,
  io: CliIO,
  setExit: (code: number) => void,
) {
  const infra = program
    .command("infra")
    .description(
      "infrastructure: plan, apply, destroy, status, drift, import, outputs, state, cleanup, scale, bootstrap",
    )
    .addHelpText(
      "after",
      `
Exit codes: 0 success, 1 error, 2 changes (plan --detailed-exitcode) or drift, 3 state lock held.

Examples:
  $ wfctl infra plan -c examples/infra/wfctl.yaml
  $ wfctl infra apply -y
  $ wfctl infra drift --json`,
    );
  registerPlanCommand(infra, io, setExit);
  registerApplyCommand(infra, io, setExit);
  registerDestroyCommand(infra, io, setExit);
  registerInspectCommands(infra, io, setExit);
  registerStateCommands(infra, io);
  registerMaintenanceCommands(infra, io, setExit);
}
