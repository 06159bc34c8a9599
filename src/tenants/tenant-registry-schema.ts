import type { MigrationSource } from "../contracts/index.js";
import type { SqlDatabase } from "../engine/database/sql-database.js";

/**
 * The tenant registry's tables, one migration per dialect. Slugs are unique in
 * `wfctl_tenants`; domains live in their own table keyed by the domain, so no two
 * tenants can claim one (the database enforces it, across processes). Every write
 * also bumps `wfctl_tenant_revision`, which other processes poll to drop their caches.
 */
interface DialectTypes {
  readonly bool: string;
  readonly json: string;
  readonly yes: string;
}

const TYPES: Readonly<Record<SqlDatabase["dialect"], DialectTypes>> = {
  sqlite: { bool: "INTEGER", json: "TEXT", yes: "1" },
  postgres: { bool: "BOOLEAN", json: "JSONB", yes: "TRUE" },
};

const up = ({ bool, json, yes }: DialectTypes) => `
CREATE TABLE IF NOT EXISTS wfctl_tenants (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  slug TEXT NOT NULL UNIQUE,
  metadata ${json} NOT NULL DEFAULT '{}',
  is_active ${bool} NOT NULL DEFAULT ${yes}
);
CREATE TABLE IF NOT EXISTS wfctl_tenant_domains (
  domain TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES wfctl_tenants (id) ON DELETE CASCADE,
  position INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS wfctl_tenant_domains_tenant ON wfctl_tenant_domains (tenant_id, position);
CREATE TABLE IF NOT EXISTS wfctl_tenant_revision (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  revision BIGINT NOT NULL
);
INSERT INTO wfctl_tenant_revision (id, revision) VALUES (1, 0) ON CONFLICT DO NOTHING;
`;

const DOWN = `
DROP TABLE IF EXISTS wfctl_tenant_revision;
DROP TABLE IF EXISTS wfctl_tenant_domains;
DROP TABLE IF EXISTS wfctl_tenants;
`;

/** The registry's migrations for a database of `dialect`. */
export function tenantRegistryMigrations(dialect: SqlDatabase["dialect"]): MigrationSource {
  return {
    files: {
      "1_tenant_registry.up.sql": up(TYPES[dialect]),
      "1_tenant_registry.down.sql": DOWN,
    },
  };
}
