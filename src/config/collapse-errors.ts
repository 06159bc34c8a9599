import type { ErrorObject } from "ajv";
import { isRecord } from "../is-record.js";
import type { Anchor } from "./config-diagnostic.js";
import { didYouMean } from "./suggest.js";
import { describeValue, orList, typeName } from "./value-names.js";

/** An ajv error, or one composed here in place of a failed `anyOf`/`oneOf` and its branches. */
export interface Finding {
  readonly keyword: string;
  readonly instancePath: string;
  readonly schemaPath: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly data: unknown;
  readonly parentSchema?: Readonly<Record<string, unknown>>;
  readonly message?: string;
  /** A composed message, given the value's name (`"port"`) and its place (`module "api" config`). */
  readonly custom?: (subject: string, place: string) => string;
  readonly anchor?: Anchor;
}

/**
 * ajv reports a failed `anyOf`/`oneOf` as the combinator error plus every error of
 * every branch. Keep what a person needs: the errors of the branch that matched the
 * value's shape best, or one summary when all branches failed alike (wrong type,
 * wrong constant, a missing key). Innermost combinators are resolved first.
 */
export function collapseErrors(errors: readonly ErrorObject[]): Finding[] {
  let list: Finding[] = errors.map(toFinding);
  const combinators = list
    .filter((e) => e.keyword === "anyOf" || e.keyword === "oneOf")
    .sort((a, b) => b.schemaPath.length - a.schemaPath.length);
  for (const combinator of combinators) {
    if (!list.includes(combinator)) continue;
    const prefix = `${combinator.schemaPath}/`;
    const inside = new Set(
      list.filter(
        (e) => e.schemaPath.startsWith(prefix) && within(e.instancePath, combinator.instancePath),
      ),
    );
    const replacement = resolve(combinator, [...inside], prefix);
    list = list.filter((e) => e !== combinator && !inside.has(e));
    list.push(...replacement);
  }
  return list;
}

function toFinding(error: ErrorObject): Finding {
  return {
    keyword: error.keyword,
    instancePath: error.instancePath,
    schemaPath: error.schemaPath,
    params: error.params as Record<string, unknown>,
    data: error.data,
    ...(isRecord(error.parentSchema) ? { parentSchema: error.parentSchema } : {}),
    ...(error.message !== undefined ? { message: error.message } : {}),
  };
}

function resolve(combinator: Finding, inside: readonly Finding[], prefix: string): Finding[] {
  // oneOf failing because several branches matched has no branch errors to show.
  if (combinator.keyword === "oneOf" && Array.isArray(combinator.params.passingSchemas)) {
    return [combinator];
  }
  const branches = new Map<string, Finding[]>();
  for (const e of inside) {
    const branch = e.schemaPath.slice(prefix.length).split("/", 1)[0] ?? "";
    branches.set(branch, [...(branches.get(branch) ?? []), e]);
  }
  if (branches.size === 0) return [combinator];
  const atRoot = (e: Finding) => e.instancePath === combinator.instancePath;
  const all = [...branches.values()];
  const shaped = all.filter((errs) => !errs.some((e) => atRoot(e) && e.keyword === "type"));

  if (shaped.length === 0) {
    const types = unique(all.flat().flatMap((e) => (e.keyword === "type" ? typesOf(e) : [])));
    return [
      {
        ...combinator,
        custom: (what) =>
          `${what} must be ${orList(types.map(typeName))}, got ${describeValue(combinator.data)}`,
      },
    ];
  }
  if (
    shaped.every((errs) =>
      errs.every((e) => atRoot(e) && (e.keyword === "const" || e.keyword === "enum")),
    )
  ) {
    const values = unique(shaped.flat().flatMap(allowedValues));
    const hint = typeof combinator.data === "string" ? didYouMean(combinator.data, values) : "";
    return [
      {
        ...combinator,
        custom: (what) =>
          `${what} must be one of ${values.join(", ")}, got ${describeValue(combinator.data)}${hint}`,
      },
    ];
  }
  if (shaped.every((errs) => errs.every((e) => atRoot(e) && e.keyword === "required"))) {
    const keys = unique(shaped.flat().map((e) => JSON.stringify(String(e.params.missingProperty))));
    return [
      {
        ...combinator,
        anchor: "key",
        custom: (_what, place) => `${place} needs one of the keys ${orList(keys)}`,
      },
    ];
  }
  const score = (errs: readonly Finding[]) => {
    const depth = Math.max(...errs.map((e) => e.instancePath.split("/").length));
    const valueMismatch = errs.some(
      (e) => atRoot(e) && (e.keyword === "const" || e.keyword === "enum"),
    );
    return depth * 2 + (valueMismatch ? 0 : 1);
  };
  let best = shaped[0] ?? [];
  for (const errs of shaped) {
    const better =
      score(errs) > score(best) || (score(errs) === score(best) && errs.length < best.length);
    if (better) best = errs;
  }
  return best;
}

/** Whether `path` is `base` or below it (JSON Pointer segments). */
function within(path: string, base: string): boolean {
  return path === base || path.startsWith(`${base}/`);
}

function typesOf(e: Finding): string[] {
  const type = e.params.type;
  return Array.isArray(type) ? type.map(String) : String(type).split(",");
}

function allowedValues(e: Finding): string[] {
  if (e.keyword === "const") return [String(e.params.allowedValue)];
  const values = e.params.allowedValues;
  return Array.isArray(values) ? values.map(String) : [];
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
