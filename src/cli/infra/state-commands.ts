import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Command } from "commander";
import type { ResourceState } from "../../contracts/index.js";
import { WfError } from "../../diagnostics/index.js";
import { exportState, importState } from "../../iac/operations/index.js";
import { STATE_LOCK } from "../../iac/state/state-store.js";
import type { CliIO } from "../cli-io.js";
import { type GlobalOptions, resolveGlobalOptions } from "../global-options.js";
import { wfctlVersion } from "../version.js";
import { renderTable } from "../views/table.js";
import { commandSession, type SessionOptions } from "./infra-session.js";
import { maskValues, type Sensitivity, sensitivityOf } from "./sensitivity.js";

/** `wfctl infra state …`: look at and maintain the state itself. */
export function registerStateCommands(infra: Command, io: CliIO) {
  const session = (globals: GlobalOptions, argv: string[], options: Partial<SessionOptions> = {}) =>
    commandSession(globals, io, argv, { lock: false, ...options });
  const state = infra
    .command("state")
    .description("state maintenance: list | show NAME | export | import FILE | unlock --force")
    .addHelpText(
      "after",
      "\nExamples:\n  $ wfctl infra state list\n  $ wfctl infra state export > backup.json\n  $ wfctl infra state unlock --force",
    );

  state
    .command("list")
    .description("resources in state")
    .addHelpText("after", "\nExample:\n  $ wfctl infra state list --json")
    .action(async (_f: unknown, command: Command) => {
      const globals = resolveGlobalOptions(command, io);
      await using s = await session(globals, ["infra", "state", "list"], {
        withoutProviders: true,
      });
      const resources = await s.store.listResources();
      if (globals.json) {
        io.stdout.write(
          `${JSON.stringify(
            resources.map(({ name, type, provider, provider_id, updated_at }) => ({
              name,
              type,
              provider,
              provider_id,
              updated_at,
            })),
            null,
            2,
          )}\n`,
        );
      } else if (resources.length === 0) {
        io.stdout.write(`No resources in state (${s.store.location}).\n`);
      } else {
        io.stdout.write(
          renderTable(
            ["NAME", "TYPE", "PROVIDER", "PROVIDER ID", "UPDATED"],
            resources.map((r) => [r.name, r.type, r.provider, r.provider_id, r.updated_at]),
          ),
        );
      }
    });

  state
    .command("show <name>")
    .description("one resource's state record (sensitive outputs masked unless asked)")
    .option("--show-sensitive", "print sensitive values")
    .addHelpText("after", "\nExample:\n  $ wfctl infra state show app-db")
    .action(async (name: string, flags: { showSensitive?: boolean }, command: Command) => {
      const globals = resolveGlobalOptions(command, io);
      await using s = await session(globals, ["infra", "state", "show", name]);
      const record = await s.store.getResource(name);
      if (!record) {
        const known = (await s.store.listResources()).map((r) => r.name);
        throw new WfError(
          "WF_ERR_STATE",
          `no resource "${name}" in state${known.length > 0 ? ` (known: ${known.join(", ")})` : ""}`,
        );
      }
      const shown = flags.showSensitive ? record : masked(record, await sensitivityOf(s, [record]));
      io.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
    });

  state
    .command("export")
    .description(
      "the whole state as a versioned JSON document on stdout (includes sensitive values)",
    )
    .addHelpText("after", "\nExample:\n  $ wfctl infra state export > state-backup.json")
    .action(async (_f: unknown, command: Command) => {
      const globals = resolveGlobalOptions(command, io);
      await using s = await session(globals, ["infra", "state", "export"], {
        withoutProviders: true,
      });
      io.stdout.write(`${JSON.stringify(await exportState(s.store, { wfctlVersion }), null, 2)}\n`);
    });

  state
    .command("import <file>")
    .description(
      "load a document written by `state export` (merges by name; --replace drops the rest)",
    )
    .option("--replace", "remove state entries the document does not have")
    .addHelpText("after", "\nExample:\n  $ wfctl infra state import state-backup.json")
    .action(async (file: string, flags: { replace?: boolean }, command: Command) => {
      const globals = resolveGlobalOptions(command, io);
      const source = path.resolve(io.cwd, file);
      let doc: unknown;
      try {
        doc = JSON.parse(await readFile(source, "utf8"));
      } catch (err) {
        throw new WfError(
          "WF_ERR_STATE",
          `cannot read state document ${file}: ${(err as Error).message}`,
        );
      }
      await using s = await session(globals, ["infra", "state", "import", file], {
        lock: true,
        withoutProviders: true,
      });
      const result = await importState(s.store, doc, {
        replace: flags.replace === true,
        source: file,
      });
      io.stdout.write(
        globals.json
          ? `${JSON.stringify(result)}\n`
          : `Imported ${file}: ${result.added} added, ${result.updated} updated, ${result.removed} removed.\n`,
      );
    });

  state
    .command("unlock")
    .description("remove the state lock whoever holds it (needs --force)")
    .option("--force", "really remove it: only when the holder is gone")
    .addHelpText("after", "\nExample:\n  $ wfctl infra state unlock --force")
    .action(async (flags: { force?: boolean }, command: Command) => {
      const globals = resolveGlobalOptions(command, io);
      await using s = await session(globals, ["infra", "state", "unlock"], {
        withoutProviders: true,
      });
      const holder = await s.store.lockInfo(STATE_LOCK);
      if (!holder) {
        io.stdout.write("The state is not locked.\n");
        return;
      }
      const who = `${holder.user}@${holder.host} (pid ${holder.pid}, \`${holder.command}\`, since ${holder.acquired_at})`;
      if (!flags.force) {
        throw new WfError(
          "WF_ERR_USAGE",
          `the state is locked by ${who}; if that run is gone, remove the lock with: wfctl infra state unlock --force`,
        );
      }
      await s.store.forceUnlock(STATE_LOCK);
      io.stdout.write(`Removed the state lock held by ${who}.\n`);
    });
}

function masked(record: ResourceState, sensitive: Sensitivity): ResourceState {
  return { ...record, outputs: maskValues(record.name, record.outputs, sensitive) };
}
