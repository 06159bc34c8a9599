import type { CallOptions } from "./call-options.js";
import { hasMethods } from "./guards.js";
import { ErrValidation, WrappedSentinelError } from "./iac-errors.js";
import type { Diagnostic } from "./iac-resource-driver.js";

/**
 * Forced repair of a dirty migration version through the provider that runs the
 * app's migration job (`wfctl migrate repair-dirty`).
 */

/** The token `confirm_force` must carry. */
export const MigrationRepairConfirmation = "FORCE_MIGRATION_METADATA";

export const MigrationRepairStatusSucceeded = "succeeded";
export const MigrationRepairStatusFailed = "failed";
export const MigrationRepairStatusApprovalRequired = "approval_required";
export const MigrationRepairStatusUnsupported = "unsupported";

export const migrationRepairStatuses = Object.freeze([
  MigrationRepairStatusSucceeded,
  MigrationRepairStatusFailed,
  MigrationRepairStatusApprovalRequired,
  MigrationRepairStatusUnsupported,
] as const);
export type MigrationRepairStatus = (typeof migrationRepairStatuses)[number];

/** The CLI rejects any other status a provider returns. */
export function isMigrationRepairStatus(x: unknown): x is MigrationRepairStatus {
  return typeof x === "string" && (migrationRepairStatuses as readonly string[]).includes(x);
}

export interface MigrationRepairRequest {
  app_resource_name: string;
  database_resource_name: string;
  job_image: string;
  source_dir: string;
  expected_dirty_version: string;
  force_version: string;
  then_up: boolean;
  up_if_clean: boolean;
  confirm_force: string;
  env?: Record<string, string>;
  timeout_seconds?: number;
}

export interface MigrationRepairResult {
  provider_job_id?: string;
  status: MigrationRepairStatus;
  applied?: string[];
  logs?: string;
  diagnostics?: Diagnostic[];
}

// Required fields in the order the error lists them.
const requiredRepairFields = [
  "app_resource_name",
  "database_resource_name",
  "job_image",
  "source_dir",
  "expected_dirty_version",
  "force_version",
  "confirm_force",
] as const;

/**
 * The seed's `MigrationRepairRequest.Validate`, with upstream's messages verbatim, in
 * order: missing (trimmed) fields, the confirmation token, then_up XOR up_if_clean.
 * The thrown error also matches ErrValidation (its message does not include it).
 */
export function validateMigrationRepairRequest(req: MigrationRepairRequest): void {
  const missing = requiredRepairFields.filter((f) => (req[f] ?? "").trim() === "");
  if (missing.length > 0) {
    throw invalid(`migration repair request missing required fields: ${missing.join(", ")}`);
  }
  validateRepairConfirmation(req);
}

/**
 * The part of the validation any forced repair shares (the CLI's `wfctl migrate
 * repair` too): the confirmation token, then then_up XOR up_if_clean.
 */
export function validateRepairConfirmation(
  req: Pick<MigrationRepairRequest, "confirm_force" | "then_up" | "up_if_clean">,
): void {
  if (req.confirm_force !== MigrationRepairConfirmation) {
    throw invalid(`confirm_force must equal "${MigrationRepairConfirmation}"`);
  }
  if (req.then_up && req.up_if_clean) {
    throw invalid("then_up and up_if_clean are mutually exclusive");
  }
}

function invalid(message: string): WrappedSentinelError {
  return new WrappedSentinelError(ErrValidation, message);
}

/** Optional provider capability: run the repair job. */
export interface ProviderMigrationRepairer {
  /** Undefined result: `failed` if the call rejected, else `succeeded` (upstream's rule). */
  repairDirtyMigration(
    req: MigrationRepairRequest,
    opts?: CallOptions,
  ): Promise<MigrationRepairResult | undefined>;
}

export function isProviderMigrationRepairer(x: unknown): x is ProviderMigrationRepairer {
  return hasMethods(x, "repairDirtyMigration");
}
