import { parseDuration } from "../config/index.js";
import { WfError } from "../diagnostics/index.js";

/** Parsers for flag values shared by commands; bad values are usage errors. */

export function parseList(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  ];
}

export const parsePositiveInt = (flag: string) => parseWholeNumber(flag, 1);

export const parseCount = (flag: string) => parseWholeNumber(flag, 0);

function parseWholeNumber(flag: string, min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) {
      throw new WfError(
        "WF_ERR_USAGE",
        `${flag} must be a whole number of ${min} or more, got "${value}"`,
      );
    }
    return n;
  };
}

/** A flag whose value is a JSON object (`--metadata '{"plan":"pro"}'`). */
export function parseJsonObject(flag: string) {
  return (value: string): Record<string, unknown> => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch (err) {
      throw new WfError("WF_ERR_USAGE", `${flag} is not JSON: ${(err as Error).message}`);
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      throw new WfError("WF_ERR_USAGE", `${flag} must be a JSON object, e.g. '{"plan":"pro"}'`);
    }
    return parsed as Record<string, unknown>;
  };
}

export function parseDurationFlag(flag: string) {
  return (value: string): number => {
    const ms = parseDuration(value);
    if (ms === undefined) {
      throw new WfError(
        "WF_ERR_USAGE",
        `${flag} must be a duration such as 30s or 5m, got "${value}"`,
      );
    }
    return ms;
  };
}
