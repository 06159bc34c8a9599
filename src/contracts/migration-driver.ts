import type { CallOptions } from "./call-options.js";
import { ErrValidation, wrapSentinel } from "./iac-errors.js";

/**
 * The contract of migration backends (SQLite, PostgreSQL, ...) and the request they
 * take. These types are not serialised by the seed (no JSON tags), so their
 * properties are camelCase.
 */

/**
 * Where migration files come from: a directory of `<version>_<desc>.up.sql` /
 * `.down.sql` files, or the same files in memory (upstream lists file paths; a name →
 * SQL map lets modules ship migrations without touching disk). The seed's body is not
 * shown; filled from upstream's notes.
 */
export interface MigrationSource {
  dir?: string;
  /** File name → SQL text. */
  files?: Readonly<Record<string, string>>;
  /** Schema (or history namespace) the migrations belong to. */
  schemaName?: string;
}

/** How a migration runs (body not shown in the seed; filled from upstream's notes). */
export interface MigrationOptions {
  /** Number of migrations to apply or roll back; 0 or absent = all. */
  steps?: number;
  dryRun?: boolean;
  /** Milliseconds (the seed's Duration). */
  timeout?: number;
  /** Target version, where the operation takes one. */
  version?: string;
}

/** Everything a migration operation needs. */
export interface MigrationRequest {
  dsn: string;
  source: MigrationSource;
  options?: MigrationOptions;
}

/** Result of a successful migration operation (body filled from upstream's notes). */
export interface MigrationResult {
  /** Versions applied (or rolled back), in order. */
  applied: string[];
  /** Versions skipped, e.g. already applied. */
  skipped?: string[];
  /** Version after the operation; "" when none is applied. */
  current: string;
  dirty?: boolean;
  durationMs?: number;
}

/** Migration state of a database (body filled from upstream's notes). */
export interface MigrationStatus {
  /** Current version; "" when none is applied. */
  current: string;
  pending: string[];
  /** A migration failed half-way; repair before migrating again. */
  dirty: boolean;
}

/** What migration backends implement. */
export interface MigrationDriver {
  name(): string;
  up(req: MigrationRequest, opts?: CallOptions): Promise<MigrationResult>;
  down(req: MigrationRequest, opts?: CallOptions): Promise<MigrationResult>;
  status(req: MigrationRequest, opts?: CallOptions): Promise<MigrationStatus>;
  goto(req: MigrationRequest, target: string, opts?: CallOptions): Promise<MigrationResult>;
}

/**
 * The seed's `MigrationRequest.Validate`: a DSN, and a source dir or files. Throws an
 * error matching ErrValidation.
 */
export function validateMigrationRequest(req: MigrationRequest): void {
  if ((req.dsn ?? "").trim() === "") {
    throw wrapSentinel(ErrValidation, "migration request: dsn is required");
  }
  const dir = (req.source?.dir ?? "").trim();
  const files = req.source?.files ?? {};
  if (dir === "" && Object.keys(files).length === 0) {
    throw wrapSentinel(ErrValidation, "migration request: source dir or files is required");
  }
}
