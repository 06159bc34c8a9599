// The reference plugin of examples/plugins/filecloud passes the conformance kit
// through the plugin wire, as `wfctl plugin conformance examples/plugins/filecloud --live` does.
import { describeConformance } from "../../src/iac/conformance/vitest.js";
import { readPluginManifest } from "../../src/plugins/plugin-manifest.js";
import { RemoteProvider } from "../../src/plugins/remote-provider.js";
import { repoRoot } from "../helpers/run-cli.js";

const dir = `${repoRoot}examples/plugins/filecloud`;
const plugin = { dir, manifest: readPluginManifest(dir) };

describeConformance("the filecloud reference plugin", {
  provider: () => new RemoteProvider(plugin),
  liveCloud: true,
});
