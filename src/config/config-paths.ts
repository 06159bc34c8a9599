import {
  formatPath,
  nodeAt,
  type PathSegment,
  type SourceNode,
  stringChild,
} from "./source-tree.js";

/**
 * Names for places in the effective config, as messages say them: `module "api" config`,
 * `pipeline "orders" step "parse" config`, `pipeline "orders" trigger config`,
 * `environment "prod"`, `build.targets[0]`.
 */
export function describePlace(root: SourceNode, path: readonly PathSegment[]): string {
  if (path.length === 0) return "the top level";
  const [head, second, ...rest] = path;
  if (head === "modules" && typeof second === "number") {
    return withRest(moduleLabel(root, second), rest);
  }
  if (head === "pipelines" && typeof second === "string") {
    const pipeline = `pipeline ${JSON.stringify(second)}`;
    const [list, index] = rest;
    if ((list === "steps" || list === "compensation") && typeof index === "number") {
      return withRest(`${pipeline} ${stepLabel(root, second, list, index)}`, rest.slice(2));
    }
    if (list === "trigger") return withRest(`${pipeline} trigger`, rest.slice(1));
    return withRest(pipeline, rest);
  }
  if (head === "environments" && typeof second === "string") {
    return withRest(`environment ${JSON.stringify(second)}`, rest);
  }
  return formatPath(path);
}

/** `module "api"`, or `module modules[3]` (its file-local path) when it has no name. */
export function moduleLabel(root: SourceNode, index: number): string {
  const node = nodeAt(root, ["modules", index]);
  const name = stringChild(node, "name");
  return name !== undefined
    ? `module ${JSON.stringify(name)}`
    : `module ${node?.path ?? `modules[${index}]`}`;
}

/** `step "parse"`, `compensation step "undo"`, or `step steps[2]` when it has no name. */
export function stepLabel(
  root: SourceNode,
  pipeline: string,
  list: "steps" | "compensation",
  index: number,
): string {
  const node = nodeAt(root, ["pipelines", pipeline, list, index]);
  const name = stringChild(node, "name");
  const prefix = list === "compensation" ? "compensation step" : "step";
  return `${prefix} ${name !== undefined ? JSON.stringify(name) : `${list}[${index}]`}`;
}

function withRest(base: string, rest: readonly PathSegment[]): string {
  return rest.length === 0 ? base : `${base} ${formatPath(rest)}`;
}

/** Decode an ajv instance path (JSON Pointer) into segments, indexes as numbers where the tree has lists. */
export function pointerToPath(root: SourceNode, pointer: string): PathSegment[] {
  if (pointer === "") return [];
  const path: PathSegment[] = [];
  let node: SourceNode | undefined = root;
  for (const raw of pointer.slice(1).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    const segment: PathSegment = node?.kind === "seq" ? Number(key) : key;
    path.push(segment);
    node = nodeAt(node, [segment]);
  }
  return path;
}
