import { createInterface } from "node:readline/promises";
import { WfError } from "../../diagnostics/index.js";
import type { CliIO } from "../cli-io.js";

/**
 * Ask for a typed `yes` before changing infrastructure. Without a terminal there is
 * no one to ask, so the command refuses rather than guessing (pass -y in scripts).
 */
export async function confirmOrRefuse(
  io: CliIO,
  question: string,
  autoApprove: boolean,
): Promise<void> {
  if (autoApprove) return;
  if (!io.stdinIsTTY) {
    throw new WfError(
      "WF_ERR_USAGE",
      "refusing to change infrastructure without confirmation: stdin is not a terminal; re-run with -y (--auto-approve)",
    );
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(
      `${question}\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: `,
    );
    if (answer.trim() !== "yes")
      throw new WfError("WF_ERR_USAGE", "cancelled: the answer was not 'yes'");
  } finally {
    rl.close();
  }
}
