import { postgreSplitterOptions, splitQuery, sqliteSplitterOptions } from "dbgate-query-splitter";

interface Position {
  readonly line: number;
  readonly column: number;
}
interface SplitItem {
  readonly text: string;
  readonly trimStart: Position;
}

export type SqlDialect = "sqlite" | "postgres";

export interface SqlStatement {
  readonly text: string;
  /** 1-based line and column where the statement starts (after leading comments). */
  readonly line: number;
  readonly column: number;
  /** Its first line of code, shortened for a message. */
  readonly preview: string;
}

/**
 * A migration file as the statements it holds, each with its position, so that a
 * failure names the statement and where it is. The splitter knows each dialect's
 * strings, comments, dollar quotes (PostgreSQL) and trigger bodies (SQLite).
 */
export function splitStatements(sql: string, dialect: SqlDialect): SqlStatement[] {
  const options = dialect === "postgres" ? postgreSplitterOptions : sqliteSplitterOptions;
  const items = splitQuery(sql, { ...options, returnRichInfo: true }) as SplitItem[];
  return items.flatMap((item) => {
    const start = firstCodeLine(item.text);
    if (start === undefined) return [];
    const line = item.trimStart.line + start.lineOffset + 1;
    const column =
      start.lineOffset === 0 ? item.trimStart.column + start.column + 1 : start.column + 1;
    const code = item.text.split("\n").slice(start.lineOffset).join("\n");
    return [{ text: item.text, line, column, preview: previewOf(code, start.column) }];
  });
}

/** Where the first line that is not a comment starts, or undefined for comments only. */
function firstCodeLine(text: string): { lineOffset: number; column: number } | undefined {
  const lines = text.split("\n");
  let inBlock = false;
  for (const [i, line] of lines.entries()) {
    let rest = line;
    let column = 0;
    for (;;) {
      if (inBlock) {
        const end = rest.indexOf("*/");
        if (end < 0) break;
        column += end + 2;
        rest = rest.slice(end + 2);
        inBlock = false;
        continue;
      }
      const trimmed = rest.trimStart();
      column += rest.length - trimmed.length;
      rest = trimmed;
      if (rest.startsWith("/*")) {
        inBlock = true;
        column += 2;
        rest = rest.slice(2);
        continue;
      }
      if (rest === "" || rest.startsWith("--")) break;
      return { lineOffset: i, column };
    }
  }
  return undefined;
}

function previewOf(code: string, column: number): string {
  const first = (code.split("\n")[0] ?? "").slice(column).trimEnd();
  return first.length > 100 ? `${first.slice(0, 97)}...` : first;
}
