import { describe, expect, it } from "vitest";
import { ConfigTypeRegistry } from "../../src/config/type-registry.js";
import { registerTriggerTypes, triggerTypes } from "../../src/engine/trigger-types.js";
import { checkerFor } from "./support.js";

const check = (type: string) => checkerFor(triggerTypes, type);

describe("trigger types", () => {
  it("registers http, schedule and event", () => {
    const registry = new ConfigTypeRegistry();
    registerTriggerTypes(registry);
    expect(registry.list("trigger").map((d) => d.type)).toEqual(["http", "schedule", "event"]);
  });

  it("http: method and a path starting with /", () => {
    const http = check("http");
    http.valid({ method: "POST", path: "/api/orders/{id}" });
    http.valid({ path: "/" });
    http.valid({ method: "GET", path: "/files/{rest...}", raw_body: true });
    http.valid({ method: "POST", path: "/hooks/stripe", include_raw_body: true });
    http.valid({ path: "/v1/items:batchGet" });
    http.invalid({ method: "POST" }, "path");
    http.invalid({ path: "api/orders" }, "path");
    http.invalid({ path: "/api/orders/:id" }, "path");
    http.invalid({ path: "/api/orders/id{x}" }, "path");
    http.invalid({ method: "post", path: "/a" }, "method");
    http.invalid({ method: "FETCH", path: "/a" }, "method");
    http.invalid({ path: "/a", raw_body: true, include_raw_body: true }, "include_raw_body");
    http.invalid({ path: "/a", route: "/b" }, "route");
  });

  it("schedule: cron and timezone", () => {
    const schedule = check("schedule");
    schedule.valid({ cron: "*/5 * * * *", timezone: "UTC" });
    schedule.valid({ cron: "0 30 9 * * MON-FRI", timezone: "America/Argentina/Buenos_Aires" });
    schedule.valid({ cron: "@hourly" });
    schedule.invalid({ timezone: "UTC" }, "cron");
    schedule.invalid({ cron: "*/5 * *" }, "cron");
    schedule.invalid({ cron: "@sometimes" }, "cron");
    schedule.invalid({ cron: "* * * * *", timezone: "Central European Time" }, "timezone");
  });

  it("event: a topic", () => {
    const event = check("event");
    event.valid({ topic: "orders.created" });
    event.valid({ topic: "orders", event: "order.created" });
    event.invalid({}, "topic");
    event.invalid({ topic: "" }, "topic");
    event.invalid({ topic: "a", async: true }, "async");
  });
});
