import {
  ErrForbidden,
  errorIs,
  type Tenant,
  type TenantRequest,
  type TenantResolver,
} from "../contracts/index.js";
import type { CachedTenantRegistry } from "./cached-tenant-registry.js";
import type { LookupMode, TenantSelector } from "./selectors.js";
import { domainKey, isSlugLike, tenantError } from "./tenant-values.js";

export type ResolverMode = "first_match" | "all_must_match" | "consensus";

/** A resolution: the active tenant, none, or the selectors' disagreement. */
type Answer = Tenant | null | Error;

/** Remembered answers; past this many they start over. */
const MAX_ANSWERS = 10_000;

export interface SelectorTenantResolverOptions {
  readonly registry: CachedTenantRegistry;
  readonly selectors: readonly TenantSelector[];
  readonly mode?: ResolverMode;
  /** `consensus`: votes a tenant needs (default a majority of the selectors). */
  readonly minVotes?: number;
}

/**
 * The seed's TenantResolver over ordered selectors and the (cached) registry:
 * - `first_match`: the first selector whose key names a tenant decides;
 * - `all_must_match`: every selector that reads a key must name the same tenant (when
 *   none names one, there is none);
 * - `consensus`: the tenant named by at least `minVotes` selectors.
 * A disabled tenant resolves to none. Selectors that disagree reject with an error
 * matching ErrForbidden (a request claiming two tenants is refused, not guessed).
 */
export class SelectorTenantResolver implements TenantResolver {
  readonly #registry: CachedTenantRegistry;
  readonly #selectors: readonly TenantSelector[];
  readonly #mode: ResolverMode;
  readonly #minVotes: number;
  /**
   * Answers by what the selectors read (e.g. the Host header as sent), valid for one
   * registry cache generation: a warm request costs a map lookup, not a resolution.
   */
  readonly #answers = new Map<string, Answer>();
  #answersGeneration = -1;

  constructor(options: SelectorTenantResolverOptions) {
    this.#registry = options.registry;
    this.#selectors = options.selectors;
    this.#mode = options.mode ?? "first_match";
    this.#minVotes = options.minVotes ?? Math.floor(options.selectors.length / 2) + 1;
  }

  async resolve(req: TenantRequest): Promise<Tenant | undefined> {
    const signature = this.#signature(req);
    if (this.#answersGeneration !== this.#registry.generation) {
      this.#answers.clear();
      this.#answersGeneration = this.#registry.generation;
    }
    let answer = signature === undefined ? undefined : this.#answers.get(signature);
    if (answer === undefined) {
      const generation = this.#registry.generation;
      answer = await this.#answer(req);
      if (signature !== undefined && generation === this.#registry.generation) {
        if (this.#answers.size >= MAX_ANSWERS) this.#answers.clear();
        this.#answers.set(signature, answer);
      }
    }
    if (answer instanceof Error) throw answer;
    return answer ?? undefined;
  }

  /** What every selector reads, as one key; undefined when one cannot be remembered. */
  #signature(req: TenantRequest): string | undefined {
    let signature = "";
    for (const selector of this.#selectors) {
      if (selector.read === undefined) return undefined;
      signature += `${selector.read(req) ?? "\u0000"}\n`;
    }
    return signature;
  }

  async #answer(req: TenantRequest): Promise<Answer> {
    try {
      const tenant =
        this.#mode === "first_match" ? await this.#firstMatch(req) : await this.#agreed(req);
      return tenant?.is_active ? tenant : null;
    } catch (err) {
      if (errorIs(err, ErrForbidden)) return err as Error;
      throw err;
    }
  }

  async #firstMatch(req: TenantRequest): Promise<Tenant | null> {
    for (const selector of this.#selectors) {
      const { key, matched } = await selector.match(req);
      if (!matched) continue;
      const tenant = await this.#lookup(key, selector.lookup);
      if (tenant !== null) return tenant;
    }
    return null;
  }

  async #agreed(req: TenantRequest): Promise<Tenant | null> {
    const votes = new Map<string, { tenant: Tenant; count: number }>();
    const seen: string[] = [];
    for (const selector of this.#selectors) {
      const { key, matched } = await selector.match(req);
      if (!matched) continue;
      const tenant = await this.#lookup(key, selector.lookup);
      seen.push(`${selector.type}: ${tenant?.slug ?? `no tenant for ${JSON.stringify(key)}`}`);
      if (tenant === null) continue;
      const vote = votes.get(tenant.id) ?? { tenant, count: 0 };
      vote.count++;
      votes.set(tenant.id, vote);
    }
    if (this.#mode === "all_must_match") {
      if (votes.size === 0) return null;
      const only = votes.size === 1 ? [...votes.values()][0] : undefined;
      if (only === undefined || only.count !== seen.length) throw disagreement(seen);
      return only.tenant;
    }
    const winners = [...votes.values()].filter((v) => v.count >= this.#minVotes);
    if (winners.length > 1) throw disagreement(seen);
    return winners[0]?.tenant ?? null;
  }

  async #lookup(key: string, mode: LookupMode): Promise<Tenant | null> {
    if (mode !== "auto")
      return this.#registry.find(mode, mode === "domain" ? (domainKey(key) ?? key) : key);
    if (isSlugLike(key)) {
      const bySlug = await this.#registry.find("slug", key);
      if (bySlug !== null) return bySlug;
    }
    const domain = domainKey(key);
    return domain === undefined ? null : this.#registry.find("domain", domain);
  }
}

function disagreement(seen: readonly string[]): Error {
  return tenantError(ErrForbidden, `tenant selectors disagree (${seen.join("; ")})`);
}
