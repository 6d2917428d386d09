import { cpus } from 'node:os';
import * as ort from 'onnxruntime-node';
import type { ModelSession } from './modelSession';
import { openThreadedSession } from './threadedSession';

/** Intra-op threads: the cores this machine has, capped (2 on the reference machine). */
export const defaultInferenceThreads = () => Math.max(1, Math.min(4, cpus().length));

/** How every model session is built (also inside the inference thread). */
export function sessionOptions(threads = defaultInferenceThreads()): ort.InferenceSession.SessionOptions {
  return {
    intraOpNumThreads: threads,
    // One graph at a time: batches, not parallel runs, are how throughput is gained here.
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    // Each session has its own thread pool; spinning pools of two models (and Postgres and
    // Elasticsearch) fight over 2 cores. Measured here: a MobileNetV2 + YOLOX-Nano pair took 27 ms
    // per image without spinning and 53-61 ms with it (onnxruntime's default).
    extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
  };
}

/** Loads a model onto a thread of its own (see threadedSession.ts for why). */
export function createSession(path: string, threads?: number): Promise<ModelSession> {
  return openThreadedSession(path, sessionOptions(threads));
}

export { ort };
