import { describe, expect, it } from "vitest";
import {
  canonicalKeys,
  isCanonicalKey,
  KeyHTTPPort,
  KeyName,
  KeyProviderSpecific,
  KeyVPCRef,
} from "../../src/contracts/index.js";

const seedOrder = [
  "name",
  "region",
  "image",
  "http_port",
  "internal_ports",
  "protocol",
  "instance_count",
  "size",
  "env_vars",
  "env_vars_secret",
  "vpc_ref",
  "autoscaling",
  "routes",
  "cors",
  "domains",
  "health_check",
  "liveness_check",
  "ingress",
  "egress",
  "alerts",
  "log_destinations",
  "termination",
  "maintenance",
  "jobs",
  "workers",
  "static_sites",
  "sidecars",
  "build_command",
  "run_command",
  "dockerfile_path",
  "source_dir",
  "provider_specific",
];

describe("canonical keys", () => {
  it("are the seed's 32 keys in its order", () => {
    expect(canonicalKeys()).toHaveLength(32);
    expect(canonicalKeys()).toEqual(seedOrder);
    expect([KeyName, KeyHTTPPort, KeyVPCRef, KeyProviderSpecific]).toEqual([
      "name",
      "http_port",
      "vpc_ref",
      "provider_specific",
    ]);
  });

  it("hands out a fresh array each call", () => {
    const keys = canonicalKeys();
    keys.pop();
    expect(canonicalKeys()).toHaveLength(32);
    expect(canonicalKeys()).not.toBe(canonicalKeys());
  });

  it("recognises canonical keys only", () => {
    for (const k of seedOrder) {
      expect(isCanonicalKey(k)).toBe(true);
    }
    expect(isCanonicalKey("provider")).toBe(false);
    expect(isCanonicalKey("depends_on")).toBe(false);
    expect(isCanonicalKey("Name")).toBe(false);
    expect(isCanonicalKey("")).toBe(false);
    expect(isCanonicalKey(7)).toBe(false);
  });
});
