/**
 * The DAG executor's ready set: a binary heap that hands out the task with the
 * longest chain of work still behind it first (ties: lowest index, i.e. plan order).
 * Starting the critical path early is what keeps a bounded-parallelism run close to
 * its lower bound.
 */
export class ReadyQueue {
  readonly #heap: number[] = [];
  readonly #rank: readonly number[];

  /** `rank[i]`: length of the longest dependency chain that starts at task i. */
  constructor(rank: readonly number[]) {
    this.#rank = rank;
  }

  get size(): number {
    return this.#heap.length;
  }

  push(task: number): void {
    const heap = this.#heap;
    heap.push(task);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  pop(): number | undefined {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length === 0 || last === undefined) return top;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let best = i;
      if (left < heap.length && this.#before(heap[left]!, heap[best]!)) best = left;
      if (right < heap.length && this.#before(heap[right]!, heap[best]!)) best = right;
      if (best === i) return top;
      [heap[i], heap[best]] = [heap[best]!, heap[i]!];
      i = best;
    }
  }

  #before(a: number, b: number): boolean {
    const ra = this.#rank[a]!;
    const rb = this.#rank[b]!;
    return ra !== rb ? ra > rb : a < b;
  }
}
