import { describe, expect, it } from "vitest";
import {
  DURATION_PATTERN,
  duration,
  expandable,
  port,
  taggedUnion,
  templated,
  text,
} from "../../src/config/schema-fragments.js";
import { checker } from "./support.js";

describe("schema fragments", () => {
  it("DURATION_PATTERN accepts Go-style durations only", () => {
    const re = new RegExp(DURATION_PATTERN, "u");
    for (const ok of ["5s", "250ms", "1m30s", "2h", "1h0m0s"]) expect(ok).toMatch(re);
    for (const bad of ["5", "5 s", "1.5s", "7d", "s", "", "5sec"]) expect(bad).not.toMatch(re);
  });

  it("duration options: days, templates, expansions", () => {
    const d = (options: Parameters<typeof duration>[1]) =>
      checker({ type: "object", properties: { t: duration({ description: "t" }, options) } });
    d({ days: true }).valid({ t: "7d" });
    d({}).invalid({ t: "7d" }, "t");
    d({ allow: "template" }).valid({ t: "{{ .timeout }}" });
    d({ allow: "template" }).invalid({ t: "${TIMEOUT}" }, "t");
    d({ allow: "expansion" }).valid({ t: "${TIMEOUT:-5s}" });
    d({ allow: "expansion" }).invalid({ t: "{{ .t }}" }, "t");
  });

  it("templated keeps literal constraints and wants a template in strings", () => {
    const status = checker(templated("integer", { description: "s", minimum: 100, maximum: 599 }));
    status.valid(200);
    status.valid("{{ .code }}");
    status.invalid(600);
    status.invalid("200");
    status.invalid(true);
  });

  it("expandable accepts ${…} and its expanded text", () => {
    const p = checker(port({ description: "p" }, { expandable: true }));
    p.valid(8080);
    p.valid("8080");
    p.valid("${PORT:-8080}");
    p.valid("${api.port}");
    p.invalid(0);
    p.invalid("eighty");
    const flag = checker(expandable("boolean", { description: "f" }));
    flag.valid(true);
    flag.valid("false");
    flag.valid("${FLAG}");
    flag.invalid("yes");
  });

  it("taggedUnion checks the variant's own keys", () => {
    const union = checker(
      taggedUnion("u", "kind", {
        a: { description: "a", properties: { x: text({ description: "x" }) }, required: ["x"] },
        b: { description: "b" },
      }),
    );
    union.valid({ kind: "a", x: "1" });
    union.valid({ kind: "b" });
    union.invalid({ kind: "a" }, "x");
    union.invalid({ kind: "b", x: "1" }, "x");
    union.invalid({ kind: "c" }, "kind");
    union.invalid({ x: "1" }, "kind");
  });
});
