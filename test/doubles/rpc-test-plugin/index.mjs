// A test double of an out-of-process plugin (not a provider): answers JSON-RPC over
// stdio with behaviours tests ask for by method name.
import {
  createMessageConnection,
  ResponseError,
  StreamMessageReader,
  StreamMessageWriter,
} from "vscode-jsonrpc/node";

const connection = createMessageConnection(
  new StreamMessageReader(process.stdin),
  new StreamMessageWriter(process.stdout),
);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

connection.onRequest("initialize", ({ config }) => ({
  name: "rpc-test",
  version: "0.0.1",
  compute_plan_version: config?.plan_version ?? "v2",
  capabilities: [],
  optional: ["provider.enumerate_all"],
}));
// Answers after `ms`, so overlapping requests finish in the order of their delays.
connection.onRequest("echo", async ({ ms = 0, value }) => {
  await sleep(ms);
  return { value };
});
connection.onRequest("fail_with", ({ sentinel, message }) => {
  throw new ResponseError(1, message, sentinel ? { sentinel } : undefined);
});
// Answers rate-limited `failures` times per process, then an empty status list.
let statusCalls = 0;
connection.onRequest("provider.status", ({ resources }) => {
  statusCalls++;
  if (statusCalls <= (resources?.[0]?.failures ?? 0)) {
    throw new ResponseError(1, "slow down", { sentinel: "rate_limited" });
  }
  return [];
});
connection.onRequest("crash", () => {
  console.error("about to crash: disk on fire");
  process.exit(3);
});
connection.onRequest("hang", () => new Promise(() => {}));
connection.onRequest("shutdown", () => {
  setImmediate(() => process.exit(0));
  return null;
});
connection.listen();
console.error("rpc-test-plugin ready");
