/**
 * For plugin authors: serves an in-process IaCProvider to wfctl over the plugin wire
 * (JSON-RPC on stdin/stdout, PLUGINS.md). Optional interfaces the provider implements
 * are announced in `optional` and `driver.info`; a call to one it lacks answers
 * -32601; errors carry the seed's sentinel as `data.sentinel`. Logs go to stderr.
 */
import {
  createMessageConnection,
  ErrorCodes,
  ResponseError,
  StreamMessageReader,
  StreamMessageWriter,
} from "vscode-jsonrpc/node";
import {
  canonicalKeys,
  ErrProviderMethodUnimplemented,
  errorIs,
  type IaCProvider,
  isProviderIDValidator,
  isResourceAdoptionLocator,
  isResourceReplacer,
  isTroubleshooter,
  isUpsertSupporter,
  providerIDFormatString,
  type ResourceDriver,
  sentinelWireName,
} from "../contracts/index.js";
import { COMPUTE_PLAN_VERSION } from "./plugin-handshake.js";
import {
  argsOf,
  DRIVER_METHODS,
  type DriverInfo,
  OPTIONAL_DRIVER_METHODS,
  OPTIONAL_PROVIDER_METHODS,
  PROVIDER_METHODS,
  type WireMethod,
} from "./provider-protocol.js";

type Params = Record<string, unknown>;
type Callable = Record<string, (...args: unknown[]) => Promise<unknown>>;

/** Serves `provider` on this process's stdin/stdout until wfctl sends `shutdown`. */
export function serveProvider(
  provider: IaCProvider,
  io: { input: NodeJS.ReadableStream; output: NodeJS.WritableStream } = {
    input: process.stdin,
    output: process.stdout,
  },
): void {
  const connection = createMessageConnection(
    new StreamMessageReader(io.input),
    new StreamMessageWriter(io.output),
  );
  const answer = async (call: () => unknown): Promise<unknown> => {
    try {
      return (await call()) ?? null;
    } catch (err) {
      throw asResponseError(err);
    }
  };

  connection.onRequest("initialize", ({ config }: Params) =>
    answer(async () => {
      await provider.initialize((config ?? {}) as Record<string, unknown>);
      return {
        name: provider.name(),
        version: provider.version(),
        compute_plan_version: COMPUTE_PLAN_VERSION,
        capabilities: provider.capabilities(),
        // Asked after initialize: a provider may drop capabilities its config turns off.
        optional: OPTIONAL_PROVIDER_METHODS.filter(
          (m) => typeof (provider as unknown as Callable)[m.method] === "function",
        ).map((m) => m.wire),
        canonical_keys: provider.supportedCanonicalKeys?.() ?? canonicalKeys(),
      };
    }),
  );
  for (const method of [...PROVIDER_METHODS, ...OPTIONAL_PROVIDER_METHODS]) {
    connection.onRequest(method.wire, (params: Params) =>
      answer(() => callMethod(provider, method, params)),
    );
  }
  const driverOf = (params: Params) => provider.resourceDriver(String(params.resource_type));
  for (const method of [...DRIVER_METHODS, ...Object.values(OPTIONAL_DRIVER_METHODS)]) {
    connection.onRequest(method.wire, (params: Params) =>
      answer(() => callMethod(driverOf(params), method, params)),
    );
  }
  connection.onRequest("driver.info", (params: Params) =>
    answer(async (): Promise<DriverInfo> => {
      const driver = driverOf(params);
      return {
        supports_upsert: isUpsertSupporter(driver) ? await driver.supportsUpsert() : false,
        provider_id_format: providerIDFormatString(
          isProviderIDValidator(driver) ? await driver.providerIDFormat() : 0,
        ),
        replacer: isResourceReplacer(driver),
        adoption: isResourceAdoptionLocator(driver),
        troubleshooter: isTroubleshooter(driver),
      };
    }),
  );
  connection.onRequest("shutdown", async () => {
    await provider.close();
    setImmediate(() => process.exit(0));
    return null;
  });
  connection.listen();
}

/** Calls `method` of the provider or driver; one it lacks answers -32601. */
function callMethod(
  target: IaCProvider | ResourceDriver,
  method: WireMethod,
  params: Params,
): unknown {
  const fn = (target as unknown as Callable)[method.method];
  if (typeof fn !== "function") {
    throw new ResponseError(ErrorCodes.MethodNotFound, `${method.wire} is not implemented`);
  }
  return fn.apply(target, argsOf(method, params));
}

/** An error as the wire carries it: its sentinel by name, unimplemented as -32601. */
function asResponseError(err: unknown): ResponseError<unknown> {
  if (err instanceof ResponseError) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (errorIs(err, ErrProviderMethodUnimplemented)) {
    return new ResponseError(ErrorCodes.MethodNotFound, message);
  }
  const sentinel = sentinelWireName(err);
  return new ResponseError(ErrorCodes.InternalError, message, sentinel ? { sentinel } : undefined);
}
