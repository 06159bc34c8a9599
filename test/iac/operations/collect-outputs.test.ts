import { describe, expect, it } from "vitest";
import { collectOutputs, isSensitiveKey } from "../../../src/iac/operations/index.js";
import { ProviderSet } from "../../../src/iac/provider-set.js";
import { entryFor, fakeProvider } from "./operation-fixtures.js";

const outputs = {
  endpoint: "https://api.test",
  password: "hunter2",
  DB_PASSWORD: "p",
  api_key: "k",
  admin_token: "t",
  region: "eu",
  internal_host: "10.0.0.5",
};
const state = [
  entryFor({ id: "i", name: "api", type: "infra.app", config: {}, tags: [] }, { outputs }),
];

describe("isSensitiveKey", () => {
  it("matches the fixed names, the _password/_secret/_token suffixes and the driver's keys, ignoring case", () => {
    for (const key of ["uri", "DSN", "connection_string", "private_key", "x_secret", "Db_Token"]) {
      expect(isSensitiveKey(key)).toBe(true);
    }
    for (const key of ["endpoint", "secretary", "token_count", "region"]) {
      expect(isSensitiveKey(key)).toBe(false);
    }
    expect(isSensitiveKey("internal_host", ["INTERNAL_HOST"])).toBe(true);
  });
});

describe("collectOutputs", () => {
  it("masks sensitive values by name, and by the keys the driver declares", async () => {
    const cloud = await fakeProvider();
    const driverFor = cloud.resourceDriver.bind(cloud);
    cloud.resourceDriver = (type) => {
      const driver = driverFor(type);
      driver.sensitiveKeys = async () => ["internal_host"];
      return driver;
    };

    const shown = await collectOutputs(state, {
      showSensitive: false,
      providers: ProviderSet.of({ cloud }),
    });

    expect(shown).toEqual({
      api: {
        endpoint: "https://api.test",
        password: "(sensitive)",
        DB_PASSWORD: "(sensitive)",
        api_key: "(sensitive)",
        admin_token: "(sensitive)",
        region: "eu",
        internal_host: "(sensitive)",
      },
    });
  });

  it("still masks by name when the provider is not available", async () => {
    const shown = await collectOutputs(state, { showSensitive: false });

    expect(shown.api?.password).toBe("(sensitive)");
    expect(shown.api?.internal_host).toBe("10.0.0.5");
  });

  it("shows everything with showSensitive", async () => {
    expect(await collectOutputs(state, { showSensitive: true })).toEqual({ api: outputs });
  });
});
