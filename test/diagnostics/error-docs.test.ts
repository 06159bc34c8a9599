import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { errorCatalog, errorCodes } from "../../src/diagnostics/index.js";

const doc = readFileSync(new URL("../../docs/errors.md", import.meta.url), "utf8");

describe("docs/errors.md", () => {
  it("documents every catalog code with its title and fix", () => {
    for (const code of errorCodes()) {
      const { title, fix } = errorCatalog[code];
      expect(doc).toContain(`## ${code}\n\n**${title}.** ${fix}\n`);
    }
  });

  it("documents no code the catalog does not have", () => {
    const documented = [...doc.matchAll(/^## (WF_ERR_\w+)$/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(errorCodes().sort());
  });
});
