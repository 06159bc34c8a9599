// The conformance kit against the fake-cloud provider behind the plugin wire: a
// RemoteProvider over a real plugin process must pass what the provider passes
// in-process (test/iac/conformance/fake-cloud.conformance.test.ts).
import { fileURLToPath } from "node:url";
import { describeConformance } from "../../src/iac/conformance/vitest.js";
import { readPluginManifest } from "../../src/plugins/plugin-manifest.js";
import { RemoteProvider } from "../../src/plugins/remote-provider.js";
import { FAKE_CAPABILITIES } from "../doubles/fake-cloud-provider.js";

const dir = fileURLToPath(new URL("../doubles/fake-cloud-plugin/", import.meta.url));
const plugin = { dir, manifest: readPluginManifest(dir) };

describeConformance("FakeCloudProvider as a plugin, every capability", {
  provider: () => new RemoteProvider(plugin),
  liveCloud: true,
  providerConfig: {
    capabilities: [...FAKE_CAPABILITIES],
  },
});
describeConformance("FakeCloudProvider as a plugin, no optional capability", {
  provider: () => new RemoteProvider(plugin),
  liveCloud: true,
  providerConfig: { capabilities: [] },
});
