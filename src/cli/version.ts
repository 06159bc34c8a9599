import { packageManifest } from "../package-root.js";

/** wfctl's version, from package.json (one source of truth). */
export const wfctlVersion: string = packageManifest().version ?? "0.0.0-unknown";
