import { child, type MapNode, type SourceNode, stringChild } from "./source-tree.js";

/** A module of the effective config, with what the checks need to know about it. */
export interface ModuleEntry {
  readonly index: number;
  readonly node: SourceNode;
  readonly name?: string;
  readonly type?: string;
}

export interface StepEntry {
  readonly pipeline: string;
  readonly list: "steps" | "compensation";
  readonly index: number;
  readonly node: SourceNode;
  readonly name?: string;
  readonly type?: string;
}

export interface PipelineEntry {
  readonly name: string;
  readonly node: SourceNode;
  readonly steps: readonly StepEntry[];
  readonly compensation: readonly StepEntry[];
}

export function moduleEntries(root: MapNode): ModuleEntry[] {
  const modules = child(root, "modules");
  if (modules?.kind !== "seq") return [];
  return modules.items.map((node, index) => ({
    index,
    node,
    ...optional("name", stringChild(node, "name")),
    ...optional("type", stringChild(node, "type")),
  }));
}

export function pipelineEntries(root: MapNode): PipelineEntry[] {
  const pipelines = child(root, "pipelines");
  if (pipelines?.kind !== "map") return [];
  return [...pipelines.entries].map(([name, node]) => ({
    name,
    node,
    steps: stepEntries(name, node, "steps"),
    compensation: stepEntries(name, node, "compensation"),
  }));
}

function stepEntries(
  pipeline: string,
  node: SourceNode,
  list: "steps" | "compensation",
): StepEntry[] {
  const steps = child(node, list);
  if (steps?.kind !== "seq") return [];
  return steps.items.map((step, index) => ({
    pipeline,
    list,
    index,
    node: step,
    ...optional("name", stringChild(step, "name")),
    ...optional("type", stringChild(step, "type")),
  }));
}

export function isInfraType(type: string | undefined): boolean {
  return type?.startsWith("infra.") ?? false;
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}
