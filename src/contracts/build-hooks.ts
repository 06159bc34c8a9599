/**
 * Build-pipeline hook events and their payloads. A hook handler (a plugin
 * executable) gets a HookPayload as JSON on stdin and decodes `data` into the
 * event's payload type; all names are the seed's JSON names.
 */

export const HookEventPreBuild = "pre_build";
export const HookEventPreTargetBuild = "pre_target_build";
export const HookEventPostTargetBuild = "post_target_build";
export const HookEventPreContainerBuild = "pre_container_build";
export const HookEventPostContainerBuild = "post_container_build";
export const HookEventPreContainerPush = "pre_container_push";
export const HookEventPostContainerPush = "post_container_push";
export const HookEventPreArtifactsPublish = "pre_artifacts_publish";
export const HookEventPostArtifactsPublish = "post_artifacts_publish";
export const HookEventPreBuildFail = "pre_build_fail";
export const HookEventPostBuild = "post_build";
/** Fired by plugin install after download, before extraction (supply-chain checks). */
export const HookEventInstallVerify = "install_verify";

// In the seed's order; allHookEvents() hands out copies.
const hookEvents = Object.freeze([
  HookEventPreBuild,
  HookEventPreTargetBuild,
  HookEventPostTargetBuild,
  HookEventPreContainerBuild,
  HookEventPostContainerBuild,
  HookEventPreContainerPush,
  HookEventPostContainerPush,
  HookEventPreArtifactsPublish,
  HookEventPostArtifactsPublish,
  HookEventPreBuildFail,
  HookEventPostBuild,
  HookEventInstallVerify,
] as const);
export type HookEvent = (typeof hookEvents)[number];

/** All 12 hook events in the seed's order; a fresh array each call. */
export function allHookEvents(): HookEvent[] {
  return [...hookEvents];
}

/** Takes unknown so decoded JSON can be checked directly. */
export function isValidHookEvent(s: unknown): s is HookEvent {
  return typeof s === "string" && (hookEvents as readonly string[]).includes(s);
}

/**
 * The envelope a hook handler reads from stdin. `D` narrows `data` to one event's
 * payload (`HookPayload<PreBuildPayload>`); on the wire it is any JSON object.
 */
export interface HookPayload<D extends object = Readonly<Record<string, unknown>>> {
  readonly event: HookEvent;
  readonly plugin: string;
  readonly build_id: string;
  /** Unix seconds (upstream's own tests use seconds). */
  readonly timestamp: number;
  /** The event's payload (see HookEventPayloads). */
  readonly data?: D;
}

export interface PreBuildPayload {
  config_path: string;
  targets: string[];
}

/** Per-target context; the body is not shown in the seed: filled from upstream. */
export interface PreTargetBuildPayload {
  target: string;
  /** Target kind, e.g. "command". */
  type: string;
}

/** Per-target result; the body is not shown in the seed: filled from upstream. */
export interface PostTargetBuildPayload {
  target: string;
  type: string;
  /** Files the target produced. */
  outputs?: string[];
  duration_ms: number;
  /** Not upstream: false when the target failed (absent means it succeeded). */
  success?: boolean;
}

export interface PreContainerBuildPayload {
  target: string;
  dockerfile_path: string;
  context_path: string;
  tags: string[];
}

export interface PostContainerBuildPayload {
  target: string;
  image_ref: string;
  digest: string;
  duration_ms: number;
}

export interface PreContainerPushPayload {
  image_ref: string;
  registries: string[];
}

/** The body is not shown in the seed: filled from upstream. */
export interface PostContainerPushPayload {
  image_ref: string;
  digest: string;
  registries: string[];
  duration_ms: number;
}

export interface PreArtifactsPublishPayload {
  assets: string[];
}

/**
 * A single published artifact with its URL. The body is not shown in the seed: the
 * names are upstream's (`path`, `url`); `sha256` is ours, from the artifact manifest.
 */
export interface ArtifactEntry {
  path: string;
  url: string;
  sha256?: string;
}

export interface PostArtifactsPublishPayload {
  assets: ArtifactEntry[];
  duration_ms: number;
}

/** The error that failed the build. */
export interface PreBuildFailPayload {
  error: string;
  target?: string;
}

/** Final build summary. */
export interface PostBuildPayload {
  targets: string[];
  success: boolean;
  duration_ms: number;
}

export const vulnPolicies = Object.freeze(["block-critical", "warn", "off"] as const);
export type VulnPolicy = (typeof vulnPolicies)[number];

/** Data of install_verify: what the supply-chain handler checks. */
export interface InstallVerifyPayload {
  tarball_path: string;
  expected_signature_identity?: string;
  expected_sbom_hash?: string;
  vuln_policy?: VulnPolicy;
}

/** Each event's `data` type, for typed dispatch and decoding. */
export interface HookEventPayloads {
  pre_build: PreBuildPayload;
  pre_target_build: PreTargetBuildPayload;
  post_target_build: PostTargetBuildPayload;
  pre_container_build: PreContainerBuildPayload;
  post_container_build: PostContainerBuildPayload;
  pre_container_push: PreContainerPushPayload;
  post_container_push: PostContainerPushPayload;
  pre_artifacts_publish: PreArtifactsPublishPayload;
  post_artifacts_publish: PostArtifactsPublishPayload;
  pre_build_fail: PreBuildFailPayload;
  post_build: PostBuildPayload;
  install_verify: InstallVerifyPayload;
}
