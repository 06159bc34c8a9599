import { distance } from "fastest-levenshtein";

/**
 * The candidate nearest to `name`, if it is near enough to be a likely typo: an edit
 * distance of at most max(2, length/3) (1 for names of up to 4 characters).
 */
export function nearest(name: string, candidates: Iterable<string>): string | undefined {
  // One edit in a short name already changes a quarter of it.
  const limit = name.length <= 4 ? 1 : Math.max(2, Math.floor(name.length / 3));
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    if (candidate === name) continue;
    const d = candidate.toLowerCase() === lower ? 0 : distance(name, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  if (best === undefined || bestDistance > limit) return undefined;
  if (bestDistance >= Math.min(name.length, best.length)) return undefined;
  return best;
}

/** ` (did you mean "x"?)`, or nothing when no candidate is near. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const match = nearest(name, candidates);
  return match === undefined ? "" : ` (did you mean ${JSON.stringify(match)}?)`;
}
