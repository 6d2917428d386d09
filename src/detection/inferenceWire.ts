import type { Tensor } from 'onnxruntime-node';
import { InputRecipe, isRecipe } from './inputRecipes';

/** A tensor as it crosses between threads: plain data, its buffer moved where it can be. */
export interface WireTensor {
  type: Tensor.Type;
  dims: readonly number[];
  data: Tensor.DataType;
}

export type WireTensors = Record<string, WireTensor>;

/** What a run is fed: tensors, or recipes the inference thread turns into tensors. */
export type WireFeeds = Record<string, WireTensor | InputRecipe>;

/** main → inference thread */
export type ThreadRequest = { kind: 'run'; id: number; feeds: WireFeeds } | { kind: 'release' };

/** inference thread → main */
export type ThreadReply =
  | { kind: 'ready'; inputNames: string[]; outputNames: string[] }
  | { kind: 'failed'; message: string }
  | { kind: 'result'; id: number; outputs: WireTensors; graphMs: number }
  | { kind: 'error'; id: number; message: string };

type TensorLike = { type: Tensor.Type; dims: readonly number[]; data: Tensor.DataType };

/**
 * A tensor as plain data, its buffer added to `transfer` to be moved with it. A buffer is moved
 * only when the tensor's data spans all of it (moving it empties every view of it on the sending
 * side); otherwise the data is copied.
 */
export function wireTensor(name: string, { type, dims, data }: TensorLike, transfer: ArrayBuffer[]): WireTensor {
  if (Array.isArray(data)) return { type, dims: [...dims], data };
  const view = data as Exclude<Tensor.DataType, string[]>;
  const elements = dims.reduce((n, d) => n * d, 1);
  if (view.length !== elements) {
    // Most likely data already handed to an earlier run, which moved its buffer away.
    throw new Error(
      `tensor "${name}" holds ${view.length} values for dims [${dims.join(', ')}]${view.byteLength === 0 ? ' (its data was already moved to an inference thread)' : ''}`,
    );
  }
  const whole = view.byteOffset === 0 && view.byteLength === view.buffer.byteLength && view.buffer instanceof ArrayBuffer;
  const owned = whole ? view : view.slice();
  if (!transfer.includes(owned.buffer as ArrayBuffer)) transfer.push(owned.buffer as ArrayBuffer);
  return { type, dims: [...dims], data: owned };
}

/** Feeds as they cross to the inference thread: recipes as they are (their pixels are in shared memory), tensors as wireTensor makes them. */
export function feedsToWire(feeds: Record<string, TensorLike | InputRecipe>): [WireFeeds, ArrayBuffer[]] {
  const transfer: ArrayBuffer[] = [];
  const wire = Object.fromEntries(
    Object.entries(feeds).map(([name, feed]) => [name, isRecipe(feed) ? feed : wireTensor(name, feed, transfer)]),
  );
  return [wire, transfer];
}
