/**
 * The top-level `build:` section read by `wfctl build` (CONFIG.md "Build"): ordered
 * build targets and where their outputs are collected. Plain data plus one register
 * function; the build runner and hook dispatch live elsewhere in src/build/.
 */
import { closedObject, duration, stringMap, text } from "../config/schema-fragments.js";
import type { ConfigTypeRegistry, SectionDefinition } from "../config/type-registry.js";

const target = closedObject(
  "One build target.",
  {
    name: text({
      description:
        "Target name, unique within `build.targets` (`wfctl build --target NAME` runs only this one).",
      pattern: "^[A-Za-z0-9][A-Za-z0-9._-]*$",
    }),
    command: text({ description: "Shell command that builds the target, e.g. `node build.js`." }),
    dir: text({
      description: "Folder the command runs in, relative to the config file (default: its folder).",
    }),
    outputs: {
      description:
        "Files the target must produce, relative to `dir`; a missing one fails the target. They are copied to `artifacts.dir`.",
      type: "array",
      items: { type: "string", minLength: 1 },
      uniqueItems: true,
    },
    env: stringMap({
      description:
        'Extra environment variables for the command (values are strings: quote numbers, e.g. `PORT: "3000"`).',
    }),
    timeout: duration({
      description: "Time limit for the command, e.g. `10m`; unset waits for it to finish.",
    }),
  },
  { required: ["name", "command"] },
);

export const buildSection: SectionDefinition = {
  key: "build",
  description:
    "Build targets for `wfctl build`, run in order with build hooks, and where their outputs are collected.",
  schema: closedObject(
    "Build targets and artifact collection.",
    {
      targets: {
        description:
          "Targets, run in the order listed. Names must be unique (checked when the config is loaded).",
        type: "array",
        minItems: 1,
        items: target,
      },
      artifacts: closedObject(
        "Where target outputs are collected.",
        {
          dir: text({
            description:
              "Folder, relative to the config file, that receives every target's outputs and a sha256 manifest.",
          }),
        },
        { required: ["dir"] },
      ),
    },
    { required: ["targets"] },
  ),
};

export function registerBuildSection(registry: ConfigTypeRegistry): void {
  registry.registerSection(buildSection);
}
