import { pathToFileURL } from "node:url";

let typescriptLoader: Promise<unknown> | undefined;

/**
 * Imports a JavaScript or TypeScript module the user wrote (a provider, step
 * types): `.ts`/`.mts`/`.cts` files load through tsx, registered once on first need.
 */
export async function importUserModule(file: string): Promise<Record<string, unknown>> {
  if (/\.[mc]?ts$/.test(file)) {
    typescriptLoader ??= import("tsx/esm/api").then(({ register }) => register());
    await typescriptLoader;
  }
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
}
