/** Timing helpers shared by the benchmarks. */
export interface Timing {
  readonly runs: number;
  readonly medianMs: number;
  readonly p95Ms: number;
  readonly minMs: number;
}

export async function time(runs: number, fn: () => unknown): Promise<Timing> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
  return { runs, medianMs: at(0.5), p95Ms: at(0.95), minMs: samples[0]! };
}

export function report(label: string, t: Timing): void {
  console.log(
    `${label.padEnd(48)} median ${t.medianMs.toFixed(1)} ms  p95 ${t.p95Ms.toFixed(1)} ms  min ${t.minMs.toFixed(1)} ms  (${t.runs} runs)`,
  );
}
