/**
 * The built-in `local` provider: `infra.container_service`, `infra.database`
 * (sqlite, postgres) and `infra.static_site` as real processes, files and ports on this machine, each
 * resource in `<workdir>/<type>/<name>/` and kept alive by a detached supervisor
 * (./supervisor) that outlives wfctl.
 */
export { DATABASE_TYPE, DatabaseDriver } from "./database-driver.js";
export { DEFAULT_WORKDIR, LOCAL_PROVIDER_NAME, LocalProvider } from "./provider.js";
export { SERVICE_TYPE, ServiceDriver } from "./service-driver.js";
export { STATIC_SITE_TYPE, StaticSiteDriver } from "./static-site-driver.js";
export { LocalWorkdir, type ResourceRecord } from "./workdir.js";
