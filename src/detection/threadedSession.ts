import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import { projectRoot } from '../config/projectRoot';
import { feedsToWire, ThreadReply, ThreadRequest } from './inferenceWire';
import type { InputRecipe } from './inputRecipes';
import type { ModelSession } from './modelSession';

/**
 * onnxruntime-node runs a graph synchronously on the thread that calls run(). On the event loop
 * that would stall every request (searches, health checks, other uploads' decoding and
 * preparation) for as long as a batch runs, so each session lives on a worker thread of its own.
 * The event loop hands it recipes, whose pixels are in shared memory, or tensors, whose buffers it
 * moves rather than copies.
 */
class ThreadedSession implements ModelSession {
  graphMs = 0;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve(outputs: Record<string, ort.Tensor>): void; reject(error: Error): void }>();
  private broken: Error | null = null;
  private released: Promise<void> | null = null;

  constructor(
    private readonly worker: Worker,
    private readonly path: string,
    readonly inputNames: readonly string[],
    readonly outputNames: readonly string[],
  ) {
    worker.on('message', (reply: ThreadReply) => {
      if (reply.kind !== 'result' && reply.kind !== 'error') return;
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.settled(reply.id);
      if (reply.kind === 'error') waiting.reject(new Error(reply.message));
      else {
        this.graphMs += reply.graphMs;
        waiting.resolve(
          Object.fromEntries(
            Object.entries(reply.outputs).map(([name, t]) => [name, new ort.Tensor(t.type, t.data as Float32Array, t.dims)]),
          ),
        );
      }
    });
    const fail = (error: Error) => {
      this.broken ??= error;
      for (const { reject } of this.pending.values()) reject(this.broken);
      this.pending.clear();
    };
    worker.on('error', (error) => fail(new Error(`the inference thread of ${path} failed: ${error.message}`)));
    worker.on('exit', (code) =>
      fail(new Error(`the inference thread of ${path} ${this.released ? 'was released' : `exited (code ${code})`}`)),
    );
  }

  run(feeds: Record<string, ort.Tensor | InputRecipe>): Promise<Record<string, ort.Tensor>> {
    if (this.broken) return Promise.reject(this.broken);
    if (this.released) return Promise.reject(new Error(`the session of ${this.path} was released`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      try {
        const [wire, transfer] = feedsToWire(feeds);
        this.pending.set(id, { resolve, reject });
        // An idle thread must not keep the process alive; one with work in flight must.
        if (this.pending.size === 1) this.worker.ref();
        this.worker.postMessage({ kind: 'run', id, feeds: wire } satisfies ThreadRequest, transfer);
      } catch (error) {
        if (this.pending.delete(id) && this.pending.size === 0 && !this.released) this.worker.unref();
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  private settled(id: number): void {
    this.pending.delete(id);
    // A release in progress keeps the thread referenced until it has exited.
    if (this.pending.size === 0 && !this.released) this.worker.unref();
  }

  /** Lets the runs in flight finish, frees the session and ends its thread. */
  release(): Promise<void> {
    this.released ??= new Promise<void>((resolve) => {
      if (this.broken) return resolve();
      this.worker.once('exit', () => resolve());
      this.worker.ref();
      this.worker.postMessage({ kind: 'release' } satisfies ThreadRequest);
    });
    return this.released;
  }
}

/** The compiled thread script; under ts-jest, where the sources run as TypeScript, the build's. */
function threadScript(): string {
  const beside = join(__dirname, 'inferenceThread.js');
  if (existsSync(beside)) return beside;
  const built = join(projectRoot, 'dist', 'src', 'detection', 'inferenceThread.js');
  if (existsSync(built)) return built;
  throw new Error(`${built} is missing: run npm run build first`);
}

/** Loads a model on a new inference thread; rejects with ONNX Runtime's message if it cannot. */
export function openThreadedSession(path: string, options: ort.InferenceSession.SessionOptions): Promise<ModelSession> {
  const worker = new Worker(threadScript(), { workerData: { path, options } });
  return new Promise((resolve, reject) => {
    const early = (error: Error) => reject(new Error(`could not load ${path}: ${error.message}`));
    const exited = (code: number) => early(new Error(`the inference thread exited (code ${code})`));
    worker.once('error', early);
    worker.once('exit', exited);
    worker.once('message', (reply: ThreadReply) => {
      worker.off('error', early);
      worker.off('exit', exited);
      if (reply.kind === 'ready') {
        worker.unref();
        resolve(new ThreadedSession(worker, path, reply.inputNames, reply.outputNames));
      } else {
        void worker.terminate();
        reject(new Error(`could not load ${path}: ${reply.kind === 'failed' ? reply.message : `unexpected reply ${reply.kind}`}`));
      }
    });
  });
}
