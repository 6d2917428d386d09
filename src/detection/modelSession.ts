import type * as ort from 'onnxruntime-node';
import type { InputRecipe } from './inputRecipes';

/** A loaded model, as the recognizers use it. */
export interface ModelSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** How long its graph has run in all (ms), on its thread: without preparing recipes or crossing threads. */
  readonly graphMs: number;
  /**
   * Runs the graph on tensors, or on recipes the model's thread prepares first. It takes the
   * tensors' data: their buffers are moved, not copied, when they can be.
   */
  run(feeds: Record<string, ort.Tensor | InputRecipe>): Promise<Record<string, ort.Tensor>>;
  release(): Promise<void>;
}
