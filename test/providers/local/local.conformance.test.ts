import { afterAll } from "vitest";
import { describeConformance } from "../../../src/iac/conformance/vitest.js";
import { LocalProvider } from "../../../src/providers/local/index.js";
import { serviceConfig, tempProject } from "./local-fixtures.js";

const project = tempProject();
afterAll(() => project.dispose());

const tags = (tag: string) => ({ tags: [tag] });

describeConformance("local provider", {
  provider: () => new LocalProvider(),
  liveCloud: true,
  timeoutMs: 90_000,
  skip: {
    "cross-resource-constraint":
      "the local validator does not check references: an unchanged resource the reference names is in state, not in the plan it sees",
  },
  fixtures: {
    "infra.container_service": {
      config: serviceConfig(project.appDir),
      update: { instance_count: 2 },
      // Accepted (with a plan warning) and recorded, so it can carry a reference.
      referenceKey: "vpc_ref",
      tag: tags,
    },
    "infra.static_site": {
      config: { source_dir: project.appDir, output_dir: "site" },
      update: { build_command: "true" },
      tag: tags,
    },
    "infra.database": {
      config: { engine: "sqlite" },
      update: { tags: ["wfc-updated"] },
      replace: { database: "other" },
      tag: tags,
    },
  },
});
