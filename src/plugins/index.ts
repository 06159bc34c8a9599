/**
 * For plugin authors: serve an IaC provider over the plugin wire (docs/plugins.md),
 * and the manifest's shape.
 */
export type { HookFailurePolicy, PluginHook, PluginManifest } from "./plugin-manifest.js";
export { serveProvider } from "./serve-provider.js";
