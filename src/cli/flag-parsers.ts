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

export function parsePositiveInt(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) {
      throw new WfError(
        "WF_ERR_USAGE",
        `${flag} must be a whole number of 1 or more, got "${value}"`,
      );
    }
    return n;
  };
}

export function parseCount(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) {
      throw new WfError(
        "WF_ERR_USAGE",
        `${flag} must be a whole number of 0 or more, got "${value}"`,
      );
    }
    return n;
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
