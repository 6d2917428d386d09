// The inference thread: one ONNX Runtime session per worker thread (see threadedSession.ts).
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import { ThreadReply, ThreadRequest, WireFeeds, WireTensors, wireTensor } from './inferenceWire';
import { isRecipe, materialize } from './inputRecipes';

interface InferenceThreadData {
  path: string;
  options: ort.InferenceSession.SessionOptions;
}

const port = parentPort!;
const reply = (message: ThreadReply, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The feeds as tensors: recipes are prepared here, on this thread. */
async function tensorsOf(feeds: WireFeeds): Promise<Record<string, ort.Tensor>> {
  const entries = await Promise.all(
    Object.entries(feeds).map(
      async ([name, feed]) =>
        [name, isRecipe(feed) ? await materialize(feed) : new ort.Tensor(feed.type, feed.data as Float32Array, feed.dims)] as const,
    ),
  );
  return Object.fromEntries(entries);
}

async function serve(): Promise<void> {
  const { path, options } = workerData as InferenceThreadData;
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(path, options);
  } catch (error) {
    reply({ kind: 'failed', message: messageOf(error) });
    return;
  }
  reply({ kind: 'ready', inputNames: [...session.inputNames], outputNames: [...session.outputNames] });

  // Runs one at a time, in the order they came: run() holds this thread until the graph is done.
  let queue = Promise.resolve();
  port.on('message', (request: ThreadRequest) => {
    queue = queue.then(async () => {
      if (request.kind === 'release') {
        await session.release();
        port.close();
        return;
      }
      try {
        const feeds = await tensorsOf(request.feeds);
        const started = performance.now();
        const result = await session.run(feeds);
        const graphMs = performance.now() - started;
        const transfer: ArrayBuffer[] = [];
        const outputs: WireTensors = Object.fromEntries(
          Object.entries(result).map(([name, tensor]) => [name, wireTensor(name, tensor, transfer)]),
        );
        reply({ kind: 'result', id: request.id, outputs, graphMs }, transfer);
      } catch (error) {
        reply({ kind: 'error', id: request.id, message: messageOf(error) });
      }
    });
  });
}

void serve();
