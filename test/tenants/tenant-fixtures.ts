/** Config modules the tenant tests share: a SQLite database and a registry in it. */
export const TENANT_REGISTRY_MODULES = `
  - name: db
    type: database.sqlite
    config: { path: app.db }
  - name: tenants
    type: tenants.registry
    config: { database: db }`;
