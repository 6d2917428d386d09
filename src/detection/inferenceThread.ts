// The inference thread: one ONNX Runtime session per worker thread (see threadedSession.ts).
import { parentPort, workerData } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import { ThreadReply, ThreadRequest, toWire } from './inferenceWire';

interface InferenceThreadData {
  path: string;
  options: ort.InferenceSession.SessionOptions;
}

const port = parentPort!;
const reply = (message: ThreadReply, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

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
        const feeds = Object.fromEntries(Object.entries(request.feeds).map(([name, t]) => [name, new ort.Tensor(t.type, t.data as Float32Array, t.dims)]));
        const [outputs, transfer] = toWire(await session.run(feeds));
        reply({ kind: 'result', id: request.id, outputs }, transfer);
      } catch (error) {
        reply({ kind: 'error', id: request.id, message: messageOf(error) });
      }
    });
  });
}

void serve();
