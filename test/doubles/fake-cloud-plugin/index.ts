// A test double: the in-process FakeCloudProvider served as an out-of-process plugin,
// so the conformance kit can check the plugin wire end to end.
import { serveProvider } from "../../../src/plugins/serve-provider.js";
import { FakeCloudProvider } from "../fake-cloud-provider.js";

serveProvider(new FakeCloudProvider());
