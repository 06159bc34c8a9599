import { stat } from "node:fs/promises";
import path from "node:path";
import type { Diagnostic } from "../../contracts/index.js";
import type { SupervisorStatus } from "./supervisor/supervisor-protocol.js";
import { logDir, logTails, readStatus } from "./supervisor-client.js";

const TAIL_LINES = 20;

/**
 * What went wrong with a supervised resource, for a Troubleshooter and for errors:
 * each replica's last exit and each log file's last lines, newest first.
 */
export async function supervisorDiagnostics(dir: string, resource: string): Promise<Diagnostic[]> {
  const status = await readStatus(dir);
  const out: Diagnostic[] = [];
  for (const group of status?.groups ?? []) {
    for (const replica of group.replicas) {
      if (!replica.last_exit) continue;
      const exit = replica.last_exit;
      out.push({
        id: `${resource}/${group.name}#${replica.index}`,
        phase: replica.state,
        cause: `exited ${exit.signal ? `on ${exit.signal}` : `with code ${exit.code}`} (restarts: ${replica.restarts})`,
        at: exit.at,
      });
    }
  }
  if (status?.error) {
    out.push({
      id: `${resource}/supervisor`,
      phase: "error",
      cause: status.error,
      at: status.updated_at,
    });
  }
  for (const { file, lines } of await logTails(dir, TAIL_LINES)) {
    const mtime = await stat(path.join(logDir(dir), file)).then(
      (s) => s.mtime.toISOString(),
      () => new Date().toISOString(),
    );
    out.push({
      id: `${resource}/${file}`,
      phase: "log",
      cause: lines.at(-1) ?? "",
      at: mtime,
      detail: lines.join("\n"),
    });
  }
  return out.sort((a, b) => b.at.localeCompare(a.at));
}

/** One line per replica (`web#0 healthy`, …), for messages. */
export function replicaSummary(status: SupervisorStatus | undefined): string {
  if (!status) return "no status reported yet";
  return status.groups
    .flatMap((g) =>
      g.replicas.map(
        (r) =>
          `${g.name}#${r.index} ${r.state}${r.last_exit ? ` (last exit ${r.last_exit.signal ?? r.last_exit.code})` : ""}`,
      ),
    )
    .join(", ");
}

/** An error for a resource that did not become ready, with its replicas and log tails. */
export async function notReadyError(
  dir: string,
  resource: string,
  reason: string,
  status: SupervisorStatus | undefined,
): Promise<Error> {
  const tails = await logTails(dir, TAIL_LINES);
  const logs = tails
    .map(({ file, lines }) => `  ${file}:\n${lines.map((l) => `    | ${l}`).join("\n")}`)
    .join("\n");
  return new Error(
    `${resource}: not ready: ${reason}; replicas: ${replicaSummary(status)}; logs in ${logDir(dir)}${logs ? `\n${logs}` : ""}`,
  );
}
