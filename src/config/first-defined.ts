import type { SourceNode } from "./source-tree.js";

/** `line 4` when `first` is in the same file as `current`, else `common.yaml:4`. */
export function firstDefinedAt(first: SourceNode, current: SourceNode): string {
  const at = first.keyPos ?? first.pos;
  const here = current.keyPos ?? current.pos;
  return at.file === here.file ? `line ${at.line}` : `${at.file}:${at.line}`;
}
