import { describe, expect, it } from "vitest";
import type { ResourceState } from "../../../src/contracts/index.js";
import { destroyPlan } from "../../../src/iac/operations/index.js";
import { entryFor } from "./operation-fixtures.js";

const entry = (name: string, dependencies: string[] = [], provider = "cloud"): ResourceState =>
  entryFor(
    { id: `id-${name}`, name, type: "infra.app", config: { n: name }, tags: [] },
    { dependencies, provider },
  );

// vpc ← db ← api, vpc ← cache ← api; dns stands alone (another provider).
const state = [
  entry("api", ["db", "cache"]),
  entry("cache", ["vpc"]),
  entry("db", ["vpc"]),
  entry("dns", [], "edge"),
  entry("vpc"),
];

const order = (names: readonly { resource: { name: string } }[]) =>
  names.map((a) => a.resource.name);

describe("destroyPlan", () => {
  it("deletes every state resource, each only after everything that depends on it", () => {
    const { plan } = destroyPlan(state);

    const names = order(plan.actions);
    expect([...names].sort()).toEqual(["api", "cache", "db", "dns", "vpc"]);
    expect(plan.actions.every((a) => a.action === "delete")).toBe(true);
    for (const e of state) {
      for (const dep of e.dependencies) {
        expect(names.indexOf(e.name)).toBeLessThan(names.indexOf(dep));
      }
    }
  });

  it("carries each resource's state and applied config, and its provider module", () => {
    const { plan, providerOf } = destroyPlan(state);

    const db = plan.actions.find((a) => a.resource.name === "db");
    expect(db?.current).toEqual(state[2]);
    expect(db?.resource).toEqual({
      name: "db",
      type: "infra.app",
      config: { n: "db" },
      depends_on: ["vpc"],
    });
    expect(providerOf).toEqual({
      api: "cloud",
      cache: "cloud",
      db: "cloud",
      dns: "edge",
      vpc: "cloud",
    });
  });

  it("with include, destroys those resources and everything depending on them", () => {
    const { plan } = destroyPlan(state, { include: ["db"] });

    expect(order(plan.actions)).toEqual(["api", "db"]);
    expect(plan.include).toEqual(["db"]);
  });

  it("rejects include names that are not in state, naming them all", () => {
    expect(() => destroyPlan(state, { include: ["db", "nope", "gone"] })).toThrow(
      "--include: 2 resource(s) not in state: nope, gone",
    );
  });

  it("fails on a dependency cycle recorded in state, naming its members", () => {
    expect(() => destroyPlan([entry("a", ["b"]), entry("b", ["a"])])).toThrow(/a -> b -> a/);
  });

  it("ignores dependencies on resources state does not have", () => {
    expect(order(destroyPlan([entry("api", ["deleted-earlier"])]).plan.actions)).toEqual(["api"]);
  });
});
