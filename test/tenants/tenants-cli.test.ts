// `wfctl tenants …` as a user runs it: exit codes, tables, --json documents, errors.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";
import { tempDir } from "../helpers/temp-dir.js";

function project(): (...args: string[]) => ReturnType<typeof runCli> {
  const dir = tempDir("wfctl-tenants-cli");
  const file = path.join(dir, "wfctl.yaml");
  writeFileSync(
    file,
    `modules:
  - name: db
    type: database.sqlite
    config: { path: data/app.db }
  - name: tenants
    type: tenants.registry
    config: { database: db }
`,
  );
  return (...args) => runCli(["tenants", ...args, "-c", file]);
}

describe("wfctl tenants", () => {
  it("creates, lists, gets, updates and disables tenants", async () => {
    const wfctl = project();
    const created = await wfctl(
      "create",
      "--name",
      "Acme",
      "--slug",
      "acme",
      "--domain",
      "Acme.test,www.acme.test",
      "--metadata",
      '{"plan":"pro"}',
      "--json",
    );
    expect(created.code).toBe(0);
    const acme = JSON.parse(created.stdout).tenant;
    expect(acme).toMatchObject({
      name: "Acme",
      slug: "acme",
      domains: ["acme.test", "www.acme.test"],
      metadata: { plan: "pro" },
      is_active: true,
    });
    // An existing slug is returned unchanged.
    const again = await wfctl("create", "--name", "Other", "--slug", "acme", "--json");
    expect(JSON.parse(again.stdout).tenant).toEqual(acme);
    expect((await wfctl("create", "--name", "Beta", "--slug", "beta")).code).toBe(0);

    const table = await wfctl("list");
    expect(table.stdout).toMatch(/ID\s+SLUG\s+NAME\s+DOMAINS\s+ACTIVE/);
    expect(table.stdout).toMatch(/acme\s+Acme\s+acme\.test, www\.acme\.test\s+yes/);

    const byDomain = await wfctl("get", "--domain", "WWW.ACME.TEST", "--json");
    expect(JSON.parse(byDomain.stdout).tenant.id).toBe(acme.id);

    const updated = await wfctl(
      "update",
      acme.id,
      "--name",
      "Acme Inc",
      "--clear-domains",
      "--json",
    );
    expect(JSON.parse(updated.stdout).tenant).toMatchObject({
      name: "Acme Inc",
      domains: [],
      metadata: { plan: "pro" },
    });

    expect(await wfctl("disable", acme.id)).toMatchObject({
      code: 0,
      stdout: `Disabled tenant ${acme.id}.\n`,
    });
    const active = JSON.parse((await wfctl("list", "--active-only", "--json")).stdout);
    expect(active.tenants.map((t: { slug: string }) => t.slug)).toEqual(["beta"]);
    const page = JSON.parse(
      (await wfctl("list", "--limit", "1", "--offset", "1", "--json")).stdout,
    );
    expect(page).toEqual({ version: 1, tenants: [expect.objectContaining({ slug: "beta" })] });
  });

  it("exits 1 naming the problem for a bad slug, a taken domain or an unknown tenant", async () => {
    const wfctl = project();
    await wfctl("create", "--name", "Acme", "--slug", "acme", "--domain", "acme.test");
    const upper = await wfctl("create", "--name", "X", "--slug", "Acme");
    expect(upper).toMatchObject({ code: 1, stdout: "" });
    expect(upper.stderr).toBe('Error: tenant slug "Acme" must be lower-case\n');
    const taken = await wfctl(
      "create",
      "--name",
      "Beta",
      "--slug",
      "beta",
      "--domain",
      "ACME.test",
    );
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain('domain "acme.test" already belongs to tenant "acme"');
    // Nothing of the refused tenant was kept.
    expect(JSON.parse((await wfctl("list", "--json")).stdout).tenants).toHaveLength(1);
    const port = await wfctl("create", "--name", "C", "--slug", "c", "--domain", "c.test:8080");
    expect(port.stderr).toContain('tenant domain "c.test:8080" is not a host name');
    const unknown = await wfctl("update", "nope", "--name", "x", "--json");
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.stdout).error).toMatchObject({
      code: "WF_ERR_TENANT",
      message: 'no tenant with id "nope"',
    });
    expect((await wfctl("get")).stderr).toContain("give exactly one of ID, --slug S or --domain D");
    expect((await wfctl("update", "x")).stderr).toContain("nothing to change");
    expect((await wfctl("update", "x", "--active", "maybe")).stderr).toContain(
      "--active must be true or false",
    );
    expect(
      (await wfctl("create", "--name", "x", "--slug", "x", "--metadata", "[1]")).stderr,
    ).toContain("--metadata must be a JSON object");
  });

  it("says what to add when the config has no tenants.registry", async () => {
    const dir = tempDir("wfctl-tenants-cli");
    const file = path.join(dir, "wfctl.yaml");
    writeFileSync(
      file,
      "modules:\n  - name: db\n    type: database.sqlite\n    config: { path: app.db }\n",
    );
    const run = await runCli(["tenants", "list", "-c", file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("has no tenants.registry module; add one");
  });
});
