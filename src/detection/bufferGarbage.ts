import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Collect = () => void;

/** V8's own collector, which a process gets without --expose-gc from a context made after exposing it. */
function fullCollector(): Collect {
  const exposed = (globalThis as { gc?: Collect }).gc;
  if (exposed) return exposed;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as Collect;
}

export interface BufferGarbageOptions {
  /** Bytes of ArrayBuffers (live and not yet collected) past which a full collection is asked for; 0: never. */
  budgetBytes: number;
  /** Never sooner than this after the last one: what is live past the budget is not collected again and again. */
  minIntervalMs: number;
}

export const DEFAULT_BUFFER_GARBAGE: BufferGarbageOptions = { budgetBytes: 256 * 1024 * 1024, minIntervalMs: 1_000 };

/**
 * Keeps dead image buffers from piling up. V8 schedules full collections by the size of its JS
 * heap; a labelling process's garbage is mostly ArrayBuffers held outside it (file bytes, decoded
 * pixels, model outputs: about 3 MB an image), which V8 weighs little. In a gateway whose heap held
 * 70 MB, dead buffers reached 0.6 to 1.2 GB between collections during a task, and glibc's
 * allocator kept much of each peak resident (docs/benchmarks.md). The detector calls `check()`
 * after each batch; past the budget (or twice what was live after the last collection, if more)
 * it collects in full, which takes milliseconds on such a heap.
 */
export class BufferGarbage {
  private collect: Collect | null = null;
  private lastAt = -Infinity;
  /** The least seen since the last collection: what it left live (0 before the first). */
  private liveFloor = 0;
  /** Collections asked for, and the milliseconds they took: reported by the benches. */
  collections = 0;
  collectMs = 0;

  constructor(
    private readonly options: BufferGarbageOptions = DEFAULT_BUFFER_GARBAGE,
    private readonly arrayBufferBytes: () => number = () => process.memoryUsage().arrayBuffers,
  ) {}

  check(): void {
    if (this.options.budgetBytes <= 0) return;
    const now = performance.now();
    if (now - this.lastAt < this.options.minIntervalMs) return;
    const bytes = this.arrayBufferBytes();
    // V8 frees dead buffers on other threads after the collection returns, so the count read just
    // after it can still hold them all: the least read since stands for what it left live.
    this.liveFloor = Math.min(this.liveFloor, bytes);
    if (bytes <= Math.max(this.options.budgetBytes, 2 * this.liveFloor)) return;
    this.collect ??= fullCollector();
    this.collect();
    this.lastAt = performance.now();
    this.collections += 1;
    this.collectMs += this.lastAt - now;
    this.liveFloor = this.arrayBufferBytes();
  }
}
