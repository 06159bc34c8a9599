import { describe, expect, it } from "vitest";
import { findReferences, resolveReferences } from "../../src/iac/references.js";

const outputs: Record<string, Record<string, unknown>> = {
  moduleA: {
    id: "vpc-12345",
    endpoint: "https://vpc.example.com",
    port: 5432,
    conn: { host: "h" },
  },
};
const sources = { outputs: (name: string) => outputs[name] };

describe("output references", () => {
  it("finds ${resource.field} references, with hyphenated names and nested fields", () => {
    expect(
      findReferences({ a: "${app-db.uri}", b: ["x ${vpc.id} ${db.conn.host}"], c: "${VAR}" }),
    ).toEqual([
      { raw: "${app-db.uri}", resource: "app-db", field: "uri" },
      { raw: "${vpc.id}", resource: "vpc", field: "id" },
      { raw: "${db.conn.host}", resource: "db", field: "conn.host" },
    ]);
  });

  it("resolves cross-module references strictly (the seed's InfraOutputCrossModule check)", () => {
    const r = resolveReferences(
      {
        id: "${moduleA.id}",
        api: "${moduleA.endpoint}/api",
        fixed: "static",
        port: "${moduleA.port}",
        h: "${moduleA.conn.host}",
      },
      sources,
      "strict",
    );
    expect(r.unresolved).toEqual([]);
    expect(r.config).toEqual({
      id: "vpc-12345",
      api: "https://vpc.example.com/api",
      fixed: "static",
      port: 5432,
      h: "h",
    });
    expect(resolveReferences({ x: "${missingModule.id}" }, sources, "strict").unresolved).toEqual([
      "${missingModule.id}",
    ]);
  });

  it("prefers the ReplaceIDMap for ${name.id}", () => {
    const r = resolveReferences(
      { v: "${moduleA.id}" },
      { ...sources, replacedIds: { moduleA: "vpc-new" } },
      "strict",
    );
    expect(r.config).toEqual({ v: "vpc-new" });
  });

  it("keeps what it cannot resolve, and escapes, in lenient mode", () => {
    const r = resolveReferences(
      { a: "${later.uri}", b: "$${lit} ${moduleA.id}", c: "${SECRET}" },
      sources,
      "lenient",
    );
    expect(r.config).toEqual({ a: "${later.uri}", b: "$${lit} vpc-12345", c: "${SECRET}" });
    expect(r.unresolved).toEqual(["${later.uri}"]);
  });

  it("reads ${VAR} from the environment only when given one, consuming escapes when strict", () => {
    const env = (n: string) => ({ TOKEN: "t0k" })[n];
    expect(
      resolveReferences({ e: "${TOKEN}-$${x}", d: "${NOPE:-dflt}" }, { ...sources, env }, "strict")
        .config,
    ).toEqual({
      e: "t0k-${x}",
      d: "dflt",
    });
    const missing = resolveReferences({ e: "${NOPE}" }, { ...sources, env }, "strict");
    expect(missing.unresolved).toEqual(["${NOPE}"]);
  });
});
