export interface MicroBatcherOptions {
  /** Most items one run takes. */
  maxBatch: number;
  /** Longest an item waits for others before its batch runs anyway (ms). */
  maxWaitMs: number;
}

interface Pending<I, O> {
  item: I;
  resolve(output: O): void;
  reject(error: unknown): void;
}

/**
 * Collects concurrent requests into one run of `runBatch`. A batch starts when it is full or when
 * its first item has waited maxWaitMs; batches run one at a time (the model uses every core), and
 * items that arrive meanwhile form the next batch.
 */
export class MicroBatcher<I, O> {
  private queue: Pending<I, O>[] = [];
  private timer: { cancel(): void } | null = null;
  private running = false;

  constructor(
    private readonly runBatch: (items: I[]) => Promise<O[]>,
    private readonly options: MicroBatcherOptions,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  get pending(): number {
    return this.queue.length;
  }

  private schedule(): void {
    if (this.running) return;
    if (this.queue.length >= this.options.maxBatch) {
      this.flush();
    } else if (!this.timer) {
      this.timer = this.later(() => this.flush());
    }
  }

  /**
   * After maxWaitMs; with 0, once this turn of the event loop is done (setImmediate): what is
   * submitted in the same turn still shares the run, and a lone request does not wait out the
   * millisecond that setTimeout(0) takes at least.
   */
  private later(run: () => void): { cancel(): void } {
    if (this.options.maxWaitMs <= 0) {
      const immediate = setImmediate(run);
      return { cancel: () => clearImmediate(immediate) };
    }
    const timeout = setTimeout(run, this.options.maxWaitMs);
    return { cancel: () => clearTimeout(timeout) };
  }

  private flush(): void {
    if (this.timer) {
      this.timer.cancel();
      this.timer = null;
    }
    if (this.running || this.queue.length === 0) return;
    const batch = this.queue.splice(0, this.options.maxBatch);
    this.running = true;
    this.runBatch(batch.map((p) => p.item))
      .then((outputs) => batch.forEach((p, i) => p.resolve(outputs[i])))
      .catch((error) => batch.forEach((p) => p.reject(error)))
      .finally(() => {
        this.running = false;
        // What queued up while the model was busy has waited long enough: run it now.
        if (this.queue.length) this.flush();
      });
  }
}
