/**
 * Whether deleting a database also deletes its data. By default it does not (a
 * database's data outlives `destroy`); `delete_data: true` in the iac.provider
 * module's config (what `infra destroy --delete-data` sets) or in the resource's
 * `provider_specific.local` opts in.
 */
export function deletesData(
  providerDefault: boolean,
  config: Readonly<Record<string, unknown>>,
): boolean {
  const specific = config.provider_specific as { local?: { delete_data?: unknown } } | undefined;
  const own = specific?.local?.delete_data;
  return typeof own === "boolean" ? own : providerDefault;
}
