import { describe, expect, it } from "vitest";
import type {
  ActionError,
  ActionOutcome,
  ActionStatus,
  AlertSpec,
  ApplyResult,
  ArtifactEntry,
  AutoscalingSpec,
  BootstrapResult,
  CORSSpec,
  DestroyResult,
  Diagnostic,
  DiffResult,
  DomainSpec,
  DriftClass,
  DriftConfigDetector,
  DriftEntry,
  DriftResult,
  EgressRule,
  EgressSpec,
  Enumerator,
  EnumeratorAll,
  EventEmitter,
  EventRecorder,
  FieldChange,
  GeneratorMetadata,
  HealthCheckSpec,
  HealthResult,
  HookEvent,
  HookPayload,
  IaCCapabilityDeclaration,
  IaCLockHandle,
  IaCPlan,
  IaCProvider,
  IaCStateStore,
  IngressRule,
  IngressSpec,
  InstallVerifyPayload,
  JobSpec,
  LogDestinationSpec,
  MaintenanceSpec,
  MetricsRecorder,
  MigrationDriver,
  MigrationOptions,
  MigrationProvider,
  MigrationRepairRequest,
  MigrationRepairResult,
  MigrationRequest,
  MigrationResult,
  MigrationSource,
  MigrationStatus,
  PipelineContext,
  PipelineExecutor,
  PipelineRunner,
  PipelineStep,
  PlanAction,
  PlanDiagnostic,
  PlanDiagnosticSeverity,
  PluginVersionInfo,
  PortSpec,
  PostArtifactsPublishPayload,
  PostBuildPayload,
  PostContainerBuildPayload,
  PostContainerPushPayload,
  PostTargetBuildPayload,
  PreArtifactsPublishPayload,
  PreBuildFailPayload,
  PreBuildPayload,
  PreContainerBuildPayload,
  PreContainerPushPayload,
  PreTargetBuildPayload,
  ProviderCredentialRevoker,
  ProviderIDFormat,
  ProviderIDValidator,
  ProviderMigrationRepairer,
  ProviderPlanner,
  ProviderSizing,
  ProviderValidator,
  Reconfigurable,
  ResourceAdoptionLocator,
  ResourceDriver,
  ResourceHints,
  ResourceOutput,
  ResourceRef,
  ResourceReplacer,
  ResourceSpec,
  ResourceState,
  ResourceStatus,
  RouteSpec,
  SchemaRegistrar,
  Selector,
  SidecarSpec,
  Size,
  SizingDefaults,
  StaticSiteSpec,
  StepRegistrar,
  StepRegistryProvider,
  StepResult,
  Tenant,
  TenantFilter,
  TenantPatch,
  TenantRegistry,
  TenantResolver,
  TenantSpec,
  TerminationSpec,
  Trigger,
  TriggerRegistrar,
  Troubleshooter,
  UpsertSupporter,
  ValidationError,
  WorkerSpec,
  WorkflowStoreProvider,
  WorkloadResourceSpec,
} from "../../src/contracts/index.js";
import * as contracts from "../../src/contracts/index.js";

// Every type in the seed's Index, by its seed name. If any is not exported, this
// file does not compile (tsc --noEmit is part of the check).
type SeedTypes = {
  ActionError: ActionError;
  ActionOutcome: ActionOutcome;
  ActionStatus: ActionStatus;
  AlertSpec: AlertSpec;
  ApplyResult: ApplyResult;
  ArtifactEntry: ArtifactEntry;
  AutoscalingSpec: AutoscalingSpec;
  BootstrapResult: BootstrapResult;
  CORSSpec: CORSSpec;
  DestroyResult: DestroyResult;
  Diagnostic: Diagnostic;
  DiffResult: DiffResult;
  DomainSpec: DomainSpec;
  DriftClass: DriftClass;
  DriftConfigDetector: DriftConfigDetector;
  DriftEntry: DriftEntry;
  DriftResult: DriftResult;
  EgressRule: EgressRule;
  EgressSpec: EgressSpec;
  Enumerator: Enumerator;
  EnumeratorAll: EnumeratorAll;
  EventEmitter: EventEmitter;
  EventRecorder: EventRecorder;
  FieldChange: FieldChange;
  GeneratorMetadata: GeneratorMetadata;
  HealthCheckSpec: HealthCheckSpec;
  HealthResult: HealthResult;
  HookEvent: HookEvent;
  HookPayload: HookPayload;
  IaCCapabilityDeclaration: IaCCapabilityDeclaration;
  IaCLockHandle: IaCLockHandle;
  IaCPlan: IaCPlan;
  IaCProvider: IaCProvider;
  IaCStateStore: IaCStateStore;
  IngressRule: IngressRule;
  IngressSpec: IngressSpec;
  InstallVerifyPayload: InstallVerifyPayload;
  JobSpec: JobSpec;
  LogDestinationSpec: LogDestinationSpec;
  MaintenanceSpec: MaintenanceSpec;
  MetricsRecorder: MetricsRecorder;
  MigrationDriver: MigrationDriver;
  MigrationOptions: MigrationOptions;
  MigrationProvider: MigrationProvider;
  MigrationRepairRequest: MigrationRepairRequest;
  MigrationRepairResult: MigrationRepairResult;
  MigrationRequest: MigrationRequest;
  MigrationResult: MigrationResult;
  MigrationSource: MigrationSource;
  MigrationStatus: MigrationStatus;
  PipelineContext: PipelineContext;
  PipelineExecutor: PipelineExecutor;
  PipelineRunner: PipelineRunner;
  PipelineStep: PipelineStep;
  PlanAction: PlanAction;
  PlanDiagnostic: PlanDiagnostic;
  PlanDiagnosticSeverity: PlanDiagnosticSeverity;
  PluginVersionInfo: PluginVersionInfo;
  PortSpec: PortSpec;
  PostArtifactsPublishPayload: PostArtifactsPublishPayload;
  PostBuildPayload: PostBuildPayload;
  PostContainerBuildPayload: PostContainerBuildPayload;
  PostContainerPushPayload: PostContainerPushPayload;
  PostTargetBuildPayload: PostTargetBuildPayload;
  PreArtifactsPublishPayload: PreArtifactsPublishPayload;
  PreBuildFailPayload: PreBuildFailPayload;
  PreBuildPayload: PreBuildPayload;
  PreContainerBuildPayload: PreContainerBuildPayload;
  PreContainerPushPayload: PreContainerPushPayload;
  PreTargetBuildPayload: PreTargetBuildPayload;
  ProviderCredentialRevoker: ProviderCredentialRevoker;
  ProviderIDFormat: ProviderIDFormat;
  ProviderIDValidator: ProviderIDValidator;
  ProviderMigrationRepairer: ProviderMigrationRepairer;
  ProviderPlanner: ProviderPlanner;
  ProviderSizing: ProviderSizing;
  ProviderValidator: ProviderValidator;
  Reconfigurable: Reconfigurable;
  ResourceAdoptionLocator: ResourceAdoptionLocator;
  ResourceDriver: ResourceDriver;
  ResourceHints: ResourceHints;
  ResourceOutput: ResourceOutput;
  ResourceRef: ResourceRef;
  ResourceReplacer: ResourceReplacer;
  ResourceSpec: ResourceSpec;
  ResourceState: ResourceState;
  ResourceStatus: ResourceStatus;
  RouteSpec: RouteSpec;
  SchemaRegistrar: SchemaRegistrar;
  Selector: Selector;
  SidecarSpec: SidecarSpec;
  Size: Size;
  SizingDefaults: SizingDefaults;
  StaticSiteSpec: StaticSiteSpec;
  StepRegistrar: StepRegistrar;
  StepRegistryProvider: StepRegistryProvider;
  StepResult: StepResult;
  Tenant: Tenant;
  TenantFilter: TenantFilter;
  TenantPatch: TenantPatch;
  TenantRegistry: TenantRegistry;
  TenantResolver: TenantResolver;
  TenantSpec: TenantSpec;
  TerminationSpec: TerminationSpec;
  Trigger: Trigger;
  TriggerRegistrar: TriggerRegistrar;
  Troubleshooter: Troubleshooter;
  UpsertSupporter: UpsertSupporter;
  ValidationError: ValidationError;
  WorkerSpec: WorkerSpec;
  WorkflowStoreProvider: WorkflowStoreProvider;
  WorkloadResourceSpec: WorkloadResourceSpec;
};

const seedTypeNames = [
  "ActionError",
  "ActionOutcome",
  "ActionStatus",
  "AlertSpec",
  "ApplyResult",
  "ArtifactEntry",
  "AutoscalingSpec",
  "BootstrapResult",
  "CORSSpec",
  "DestroyResult",
  "Diagnostic",
  "DiffResult",
  "DomainSpec",
  "DriftClass",
  "DriftConfigDetector",
  "DriftEntry",
  "DriftResult",
  "EgressRule",
  "EgressSpec",
  "Enumerator",
  "EnumeratorAll",
  "EventEmitter",
  "EventRecorder",
  "FieldChange",
  "GeneratorMetadata",
  "HealthCheckSpec",
  "HealthResult",
  "HookEvent",
  "HookPayload",
  "IaCCapabilityDeclaration",
  "IaCLockHandle",
  "IaCPlan",
  "IaCProvider",
  "IaCStateStore",
  "IngressRule",
  "IngressSpec",
  "InstallVerifyPayload",
  "JobSpec",
  "LogDestinationSpec",
  "MaintenanceSpec",
  "MetricsRecorder",
  "MigrationDriver",
  "MigrationOptions",
  "MigrationProvider",
  "MigrationRepairRequest",
  "MigrationRepairResult",
  "MigrationRequest",
  "MigrationResult",
  "MigrationSource",
  "MigrationStatus",
  "PipelineContext",
  "PipelineExecutor",
  "PipelineRunner",
  "PipelineStep",
  "PlanAction",
  "PlanDiagnostic",
  "PlanDiagnosticSeverity",
  "PluginVersionInfo",
  "PortSpec",
  "PostArtifactsPublishPayload",
  "PostBuildPayload",
  "PostContainerBuildPayload",
  "PostContainerPushPayload",
  "PostTargetBuildPayload",
  "PreArtifactsPublishPayload",
  "PreBuildFailPayload",
  "PreBuildPayload",
  "PreContainerBuildPayload",
  "PreContainerPushPayload",
  "PreTargetBuildPayload",
  "ProviderCredentialRevoker",
  "ProviderIDFormat",
  "ProviderIDValidator",
  "ProviderMigrationRepairer",
  "ProviderPlanner",
  "ProviderSizing",
  "ProviderValidator",
  "Reconfigurable",
  "ResourceAdoptionLocator",
  "ResourceDriver",
  "ResourceHints",
  "ResourceOutput",
  "ResourceRef",
  "ResourceReplacer",
  "ResourceSpec",
  "ResourceState",
  "ResourceStatus",
  "RouteSpec",
  "SchemaRegistrar",
  "Selector",
  "SidecarSpec",
  "Size",
  "SizingDefaults",
  "StaticSiteSpec",
  "StepRegistrar",
  "StepRegistryProvider",
  "StepResult",
  "Tenant",
  "TenantFilter",
  "TenantPatch",
  "TenantRegistry",
  "TenantResolver",
  "TenantSpec",
  "TerminationSpec",
  "Trigger",
  "TriggerRegistrar",
  "Troubleshooter",
  "UpsertSupporter",
  "ValidationError",
  "WorkerSpec",
  "WorkflowStoreProvider",
  "WorkloadResourceSpec",
] as const;

// The runtime list and the compile-time map must name the same types.
type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const listMatchesTypes: Equal<keyof SeedTypes, (typeof seedTypeNames)[number]> = true;

// Seed types that also exist at runtime (enums as const objects, classes).
const runtimeCompanions = [
  "ActionStatus",
  "DriftClass",
  "PlanDiagnosticSeverity",
  "ProviderIDFormat",
  "PipelineContext",
  "ValidationError",
] as const;

describe("seed type coverage", () => {
  it("exports all 112 types of the seed's Index", () => {
    expect(listMatchesTypes).toBe(true);
    expect(seedTypeNames).toHaveLength(112);
    expect(new Set(seedTypeNames).size).toBe(112);
  });

  it("exports a runtime value for the seed's enums and classes", () => {
    const exported = contracts as Record<string, unknown>;
    for (const name of runtimeCompanions) {
      expect(seedTypeNames).toContain(name);
      expect(exported[name], name).toBeDefined();
    }
  });

  it("exports the seed's functions under lowerCamel names", () => {
    const exported = contracts as Record<string, unknown>;
    for (const name of [
      "canonicalKeys",
      "iacCanonicalSchemaJSON",
      "isCanonicalKey",
      "isValidHookEvent",
      "isValidationError",
      "validateProviderID",
      "validationErrorStatus",
      "allHookEvents",
      "newPipelineContext",
      "newValidationError",
      "validateTenantSpec",
      "validateMigrationRequest",
      "validateMigrationRepairRequest",
      "providerIDFormatString",
    ]) {
      expect(typeof exported[name], name).toBe("function");
    }
  });
});
