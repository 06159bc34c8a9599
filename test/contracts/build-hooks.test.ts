import { describe, expect, it } from "vitest";
import {
  allHookEvents,
  type HookEvent,
  HookEventInstallVerify,
  type HookEventPayloads,
  HookEventPostBuild,
  HookEventPreBuild,
  type HookPayload,
  isValidHookEvent,
  type PostArtifactsPublishPayload,
  type PreBuildPayload,
  vulnPolicies,
} from "../../src/contracts/index.js";

// Compile-time: HookEventPayloads has exactly one entry per hook event.
type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const payloadKeysMatchEvents: Equal<keyof HookEventPayloads, HookEvent> = true;

describe("hook events", () => {
  it("are the seed's 12 events in its order", () => {
    expect(allHookEvents()).toEqual([
      "pre_build",
      "pre_target_build",
      "post_target_build",
      "pre_container_build",
      "post_container_build",
      "pre_container_push",
      "post_container_push",
      "pre_artifacts_publish",
      "post_artifacts_publish",
      "pre_build_fail",
      "post_build",
      "install_verify",
    ]);
    expect(allHookEvents()).toHaveLength(12);
    expect(HookEventInstallVerify).toBe("install_verify");
    expect(payloadKeysMatchEvents).toBe(true);
  });

  it("hands out a fresh array each call", () => {
    const events = allHookEvents();
    events.length = 0;
    expect(allHookEvents()).toHaveLength(12);
  });

  it("validates event names", () => {
    for (const e of allHookEvents()) {
      expect(isValidHookEvent(e)).toBe(true);
    }
    expect(isValidHookEvent("PRE_BUILD")).toBe(false);
    expect(isValidHookEvent("pre-build")).toBe(false);
    expect(isValidHookEvent("")).toBe(false);
    expect(isValidHookEvent("post_deploy")).toBe(false);
    expect(isValidHookEvent(undefined)).toBe(false);
  });
});

describe("hook payloads", () => {
  it("serialise with the seed's JSON names", () => {
    const data: PreBuildPayload = { config_path: "app.yaml", targets: ["web"] };
    const payload: HookPayload<PreBuildPayload> = {
      event: HookEventPreBuild,
      plugin: "supply-chain",
      build_id: "build-123",
      timestamp: 1700000000,
      data,
    };
    expect(JSON.parse(JSON.stringify(payload))).toEqual({
      event: "pre_build",
      plugin: "supply-chain",
      build_id: "build-123",
      timestamp: 1700000000,
      data: { config_path: "app.yaml", targets: ["web"] },
    });
  });

  it("allow an untyped data map and omit absent data", () => {
    const payload: HookPayload = {
      event: HookEventPostBuild,
      plugin: "p",
      build_id: "b",
      timestamp: 1,
    };
    expect(Object.keys(JSON.parse(JSON.stringify(payload)))).toEqual([
      "event",
      "plugin",
      "build_id",
      "timestamp",
    ]);
  });

  it("describe published artifacts by path and url", () => {
    const post: PostArtifactsPublishPayload = {
      assets: [{ path: "dist/web.js", url: "file:///artifacts/web.js", sha256: "ab" }],
      duration_ms: 12,
    };
    expect(post.assets[0]?.path).toBe("dist/web.js");
    expect([...vulnPolicies]).toEqual(["block-critical", "warn", "off"]);
  });
});
