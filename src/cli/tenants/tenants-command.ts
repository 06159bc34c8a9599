import type { Command } from "commander";
import type { WorkflowConfig } from "../../config/index.js";
import {
  messageWithoutSentinel,
  sentinelOf,
  type Tenant,
  type TenantPatch,
  type TenantRegistry,
} from "../../contracts/index.js";
import { WfError } from "../../diagnostics/index.js";
import { migrateUp } from "../../migrations/index.js";
import { SqlTenantRegistry } from "../../tenants/sql-tenant-registry.js";
import { tenantRegistryMigrations } from "../../tenants/tenant-registry-schema.js";
import type { CliIO } from "../cli-io.js";
import { loadValidConfig } from "../command-config.js";
import { withConfigDatabase } from "../engine/config-database.js";
import { parseCount, parseJsonObject, parseList, parsePositiveInt } from "../flag-parsers.js";
import { type GlobalOptions, resolveGlobalOptions } from "../global-options.js";
import { renderTable } from "../views/table.js";

/**
 * `wfctl tenants list | create | get | update | disable`: the config's tenants.registry,
 * in its database (its tables are created first if the app never ran). Writes bump
 * the registry's revision, so running apps see them within about a second.
 */
export function registerTenantsCommands(program: Command, io: CliIO): void {
  const tenants = program
    .command("tenants")
    .description("tenant registry: list | create | get | update | disable")
    .option("--registry <name>", "the tenants.registry module (when the config has several)")
    .addHelpText(
      "after",
      "\nExample:\n  $ wfctl tenants create --name Acme --slug acme --domain acme.example.com",
    );

  tenants
    .command("list")
    .description("tenants by slug, with every filter given")
    .option("--active-only", "only tenants not disabled")
    .option("--domain <domain>", "only the tenant with this domain")
    .option("--slug <slug>", "only the tenant with this slug")
    .option("--limit <n>", "at most this many", parsePositiveInt("--limit"))
    .option("--offset <n>", "skip this many first", parseCount("--offset"))
    .addHelpText("after", "\nExample:\n  $ wfctl tenants list --active-only --json")
    .action(
      async (
        flags: {
          activeOnly?: boolean;
          domain?: string;
          slug?: string;
          limit?: number;
          offset?: number;
        },
        command: Command,
      ) => {
        await withRegistry(io, command, async (registry, globals) => {
          const rows = await registry.list({
            ...(flags.activeOnly ? { active_only: true } : {}),
            ...(flags.domain ? { domain: flags.domain } : {}),
            ...(flags.slug ? { slug: flags.slug } : {}),
            ...(flags.limit ? { limit: flags.limit } : {}),
            ...(flags.offset ? { offset: flags.offset } : {}),
          });
          if (globals.json) return writeJson(io, { tenants: rows });
          if (rows.length === 0) return void io.stdout.write("No tenants.\n");
          io.stdout.write(
            renderTable(
              ["ID", "SLUG", "NAME", "DOMAINS", "ACTIVE"],
              rows.map((t) => [
                t.id,
                t.slug,
                t.name,
                (t.domains ?? []).join(", "),
                t.is_active ? "yes" : "no",
              ]),
            ),
          );
        });
      },
    );

  tenants
    .command("create")
    .description("create a tenant (an existing slug is returned unchanged, exit 0)")
    .requiredOption("--name <name>", "display name")
    .requiredOption("--slug <slug>", "unique lower-case id: a-z, 0-9 and -, at most 63")
    .option(
      "--domain <domain>",
      "a domain of the tenant (repeatable, or comma-separated)",
      parseList,
    )
    .option(
      "--metadata <json>",
      "a JSON object stored with the tenant",
      parseJsonObject("--metadata"),
    )
    .addHelpText(
      "after",
      "\nExample:\n  $ wfctl tenants create --name Acme --slug acme --domain acme.example.com",
    )
    .action(
      async (
        flags: {
          name: string;
          slug: string;
          domain?: string[];
          metadata?: Record<string, unknown>;
        },
        command: Command,
      ) => {
        await withRegistry(io, command, async (registry, globals) => {
          const tenant = await registry.ensure({
            name: flags.name,
            slug: flags.slug,
            ...(flags.domain ? { domains: flags.domain } : {}),
            ...(flags.metadata ? { metadata: flags.metadata } : {}),
          });
          writeTenant(io, globals, tenant);
        });
      },
    );

  tenants
    .command("get [id]")
    .description("one tenant, by id, --slug or --domain")
    .option("--slug <slug>", "look up by slug")
    .option("--domain <domain>", "look up by domain")
    .addHelpText("after", "\nExample:\n  $ wfctl tenants get --domain acme.example.com")
    .action(
      async (
        id: string | undefined,
        flags: { slug?: string; domain?: string },
        command: Command,
      ) => {
        const given = [id, flags.slug, flags.domain].filter((v) => v !== undefined);
        if (given.length !== 1) {
          throw new WfError("WF_ERR_USAGE", "give exactly one of ID, --slug S or --domain D");
        }
        await withRegistry(io, command, async (registry, globals) => {
          const tenant =
            id !== undefined
              ? await registry.getByID(id)
              : flags.slug !== undefined
                ? await registry.getBySlug(flags.slug)
                : await registry.getByDomain(flags.domain as string);
          writeTenant(io, globals, tenant);
        });
      },
    );

  tenants
    .command("update <id>")
    .description("change the fields given; the others stay")
    .option("--name <name>", "new display name")
    .option(
      "--domain <domain>",
      "the tenant's domains from now on (repeatable; replaces them)",
      parseList,
    )
    .option("--clear-domains", "remove every domain")
    .option(
      "--metadata <json>",
      "the tenant's metadata from now on (a JSON object)",
      parseJsonObject("--metadata"),
    )
    .option("--active <bool>", "false disables the tenant, true enables it again", parseBool)
    .addHelpText(
      "after",
      "\nExample:\n  $ wfctl tenants update 0192f3a1-… --domain acme.example.com --domain acme.test",
    )
    .action(
      async (
        id: string,
        flags: {
          name?: string;
          domain?: string[];
          clearDomains?: boolean;
          metadata?: Record<string, unknown>;
          active?: boolean;
        },
        command: Command,
      ) => {
        if (flags.domain && flags.clearDomains) {
          throw new WfError("WF_ERR_USAGE", "give --domain or --clear-domains, not both");
        }
        const patch: TenantPatch = {
          ...(flags.name !== undefined ? { name: flags.name } : {}),
          ...(flags.domain ? { domains: flags.domain } : {}),
          ...(flags.clearDomains ? { domains: [] } : {}),
          ...(flags.metadata ? { metadata: flags.metadata } : {}),
          ...(flags.active !== undefined ? { is_active: flags.active } : {}),
        };
        if (Object.keys(patch).length === 0) {
          throw new WfError(
            "WF_ERR_USAGE",
            "nothing to change: give --name, --domain, --clear-domains, --metadata or --active",
          );
        }
        await withRegistry(io, command, async (registry, globals) => {
          writeTenant(io, globals, await registry.update(id, patch));
        });
      },
    );

  tenants
    .command("disable <id>")
    .description("disable a tenant (soft delete: its requests then resolve no tenant)")
    .addHelpText("after", "\nExample:\n  $ wfctl tenants disable 0192f3a1-…")
    .action(async (id: string, _flags: unknown, command: Command) => {
      await withRegistry(io, command, async (registry, globals) => {
        await registry.disable(id);
        if (globals.json) return writeJson(io, { id, disabled: true });
        io.stdout.write(`Disabled tenant ${id}.\n`);
      });
    });
}

/**
 * Runs `fn` with the registry of the config's tenants.registry module, its tables
 * migrated; a registry refusal (bad slug, taken domain, unknown tenant) is a
 * WF_ERR_TENANT error with the registry's own message.
 */
async function withRegistry(
  io: CliIO,
  command: Command,
  fn: (registry: TenantRegistry, globals: GlobalOptions) => Promise<void>,
): Promise<void> {
  const globals = resolveGlobalOptions(command, io);
  const config = await loadValidConfig(globals, io);
  const module = registryModule(config, command.parent?.opts<{ registry?: string }>().registry);
  const neededBy = `tenants.registry "${module.name}"`;
  await withConfigDatabase(config, String(module.config.database), neededBy, async (db) => {
    const migrations = await db.migrationDatabase();
    try {
      const provider = {
        providesMigrations: async () => tenantRegistryMigrations(db.dialect),
        migrationsDependencies: () => [],
      };
      await migrateUp(migrations, { modules: [{ name: module.name, provider }] });
    } finally {
      await migrations.close();
    }
    try {
      await fn(new SqlTenantRegistry(db), globals);
    } catch (err) {
      if (sentinelOf(err) === undefined || WfError.is(err)) throw err;
      throw new WfError("WF_ERR_TENANT", messageWithoutSentinel(err), { cause: err });
    }
  });
}

function registryModule(config: WorkflowConfig, name: string | undefined) {
  const registries = config.modules.filter((m) => m.type === "tenants.registry");
  const found = name ? registries.find((m) => m.name === name) : registries[0];
  if (found === undefined) {
    throw new WfError(
      "WF_ERR_CONFIG_REFERENCE",
      name
        ? `no tenants.registry module "${name}" in ${config.file} (registries: ${registries.map((m) => m.name).join(", ") || "none"})`
        : `${config.file} has no tenants.registry module; add one (type: tenants.registry, config: {database: NAME})`,
    );
  }
  if (!name && registries.length > 1) {
    throw new WfError(
      "WF_ERR_USAGE",
      `${config.file} has ${registries.length} tenants.registry modules; pick one with --registry (${registries.map((m) => m.name).join(", ")})`,
    );
  }
  return found;
}

function writeTenant(io: CliIO, globals: GlobalOptions, tenant: Tenant): void {
  if (globals.json) {
    writeJson(io, { tenant });
    return;
  }
  io.stdout.write(
    `Tenant ${tenant.slug}\nID:       ${tenant.id}\nName:     ${tenant.name}\nDomains:  ${(tenant.domains ?? []).join(", ")}\nActive:   ${tenant.is_active ? "yes" : "no"}\nMetadata: ${JSON.stringify(tenant.metadata ?? {})}\n`,
  );
}

function writeJson(io: CliIO, document: Record<string, unknown>): void {
  io.stdout.write(`${JSON.stringify({ version: 1, ...document }, null, 2)}\n`);
}

function parseBool(value: string): boolean {
  if (value === "true") return true;
  if (value === "false") return false;
  throw new WfError("WF_ERR_USAGE", `--active must be true or false, got "${value}"`);
}
