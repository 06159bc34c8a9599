import { readdirSync, readFileSync } from "node:fs";
import type { AutoscalingPolicy, SupervisorSpec, SupervisorStatus } from "./supervisor-protocol.js";

const DEFAULT_SAMPLE_MS = 5_000;
const UP_AFTER = 3;
const DOWN_AFTER = 6;
/** Linux's USER_HZ: /proc times are in these ticks. */
const TICKS_PER_SECOND = 100;

export interface AutoscalerOptions {
  /** The pids (process-group leaders) of the group's running replicas. */
  readonly replicaPids: (group: string) => readonly number[];
  /** The group's target replica count changed. */
  readonly onScale: (group: string) => void;
  readonly log: (message: string) => void;
}

/** The autoscaler a spec asks for: the current one updated, a new one started, or none. */
export function reconcileAutoscaler(
  current: Autoscaler | undefined,
  spec: SupervisorSpec,
  options: AutoscalerOptions,
): Autoscaler | undefined {
  const policy = spec.autoscaling;
  const group = spec.groups.find((g) => g.name === policy?.group);
  if (policy && group && current?.policy.group === policy.group) {
    current.update(policy);
    return current;
  }
  current?.stop();
  if (!policy || !group) return undefined;
  const scaler = new Autoscaler(policy, group.instances, options);
  scaler.start();
  return scaler;
}

/**
 * Samples the CPU of a group's replicas (every process in each replica's process
 * group, so the app under `sh -c` counts) and moves the replica target one step at
 * a time as AutoscalingPolicy says.
 */
export class Autoscaler {
  #policy: AutoscalingPolicy;
  target: number;
  lastPercent: number | undefined;
  #above = 0;
  #below = 0;
  #previous: { at: number; ticks: Map<number, number> } | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    policy: AutoscalingPolicy,
    instances: number,
    private readonly options: AutoscalerOptions,
  ) {
    this.#policy = policy;
    this.target = clamp(instances, policy);
  }

  get policy(): AutoscalingPolicy {
    return this.#policy;
  }

  status(): NonNullable<SupervisorStatus["autoscaling"]> {
    return {
      group: this.#policy.group,
      target: this.target,
      ...(this.lastPercent !== undefined ? { cpu_percent: this.lastPercent } : {}),
    };
  }

  start(): void {
    this.#timer = setInterval(() => this.#sample(), this.#policy.sample_ms ?? DEFAULT_SAMPLE_MS);
  }

  /** A new policy: the target is kept within its bounds; counting starts again. */
  update(policy: AutoscalingPolicy): void {
    const restart = policy.sample_ms !== this.#policy.sample_ms;
    this.#policy = policy;
    this.target = clamp(this.target, policy);
    this.#above = 0;
    this.#below = 0;
    if (restart) {
      this.stop();
      this.start();
    }
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#previous = undefined;
  }

  #sample(): void {
    const pids = this.options.replicaPids(this.#policy.group);
    const now = Date.now();
    const ticks = groupTicks(pids);
    const previous = this.#previous;
    this.#previous = { at: now, ticks };
    if (!previous || pids.length === 0) return;
    const seconds = (now - previous.at) / 1000;
    const percents = pids.flatMap((pid) => {
      const before = previous.ticks.get(pid);
      const after = ticks.get(pid);
      if (before === undefined || after === undefined) return [];
      return [(Math.max(0, after - before) / TICKS_PER_SECOND / seconds) * 100];
    });
    if (percents.length === 0) return;
    const average = percents.reduce((a, b) => a + b, 0) / percents.length;
    this.lastPercent = Math.round(average * 10) / 10;
    const { cpu_percent, max, min } = this.#policy;
    this.#above = average > cpu_percent ? this.#above + 1 : 0;
    this.#below = average < cpu_percent / 2 ? this.#below + 1 : 0;
    if (this.#above >= UP_AFTER && this.target < max) this.#scale(this.target + 1, average);
    else if (this.#below >= DOWN_AFTER && this.target > min) this.#scale(this.target - 1, average);
  }

  #scale(target: number, average: number): void {
    this.options.log(
      `autoscaling ${this.#policy.group}: CPU ${average.toFixed(1)}% (target ${this.#policy.cpu_percent}%): ${this.target} -> ${target} replicas`,
    );
    this.target = target;
    this.#above = 0;
    this.#below = 0;
    this.options.onScale(this.#policy.group);
  }
}

function clamp(n: number, policy: AutoscalingPolicy): number {
  return Math.min(policy.max, Math.max(policy.min, n));
}

/** utime+stime of every live process, summed per process group among `pgids`. */
function groupTicks(pgids: readonly number[]): Map<number, number> {
  const wanted = new Set(pgids);
  const sums = new Map<number, number>();
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return sums;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue;
    }
    // "pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime ..."
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const pgrp = Number(fields[2]);
    if (!wanted.has(pgrp)) continue;
    sums.set(pgrp, (sums.get(pgrp) ?? 0) + Number(fields[11]) + Number(fields[12]));
  }
  return sums;
}
