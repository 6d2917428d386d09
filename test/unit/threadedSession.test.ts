import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { decodeImage } from '../../src/detection/imageDecoder';
import { letterboxOf, materialize, wholeOf } from '../../src/detection/inputRecipes';
import type { ModelSession } from '../../src/detection/modelSession';
import { createSession, sessionOptions } from '../../src/detection/onnxSession';
import { loadPack } from '../../src/detection/packs/packLoader';
import { sharedDir, sharedImage } from '../support/sharedData';

// The real MobileNetV2 on its own thread, checked against the same model run in this thread.
const modelPath = resolve(sharedDir, 'models', 'mobilenetv2-12-int8', 'mobilenetv2-12-int8.onnx');
const VIEW = 3 * 224 * 224;

/** A batch of n deterministic pseudo-images (values in the normalised range). */
function batch(n: number, seed = 1): Float32Array {
  const data = new Float32Array(n * VIEW);
  let x = seed;
  for (let i = 0; i < data.length; i += 1) {
    x = (x * 1103515245 + 12345) % 2147483648;
    data[i] = (x / 2147483648) * 4 - 2;
  }
  return data;
}
const tensor = (data: Float32Array) => new ort.Tensor('float32', data, [data.length / VIEW, 3, 224, 224]);

let session: ModelSession;
beforeAll(async () => {
  session = await createSession(modelPath, 1);
});
afterAll(async () => {
  await session.release();
});

describe('a model session on its own thread', () => {
  it('gives what the model gives when run in this thread', async () => {
    const local = await ort.InferenceSession.create(modelPath, sessionOptions(1));
    try {
      expect(session.inputNames).toEqual(local.inputNames);
      expect(session.outputNames).toEqual(local.outputNames);
      const expected = (await local.run({ [local.inputNames[0]]: tensor(batch(2)) }))[local.outputNames[0]];
      const actual = (await session.run({ [session.inputNames[0]]: tensor(batch(2)) }))[session.outputNames[0]];
      expect(actual.dims).toEqual([2, 1000]);
      expect(actual.dims).toEqual(expected.dims);
      expect(Array.from(actual.data as Float32Array)).toEqual(Array.from(expected.data as Float32Array));
    } finally {
      await local.release();
    }
  });

  it('prepares a recipe on its own thread exactly as this thread would, reading the pixels where they are', async () => {
    const { manifest } = await loadPack(resolve(sharedDir, 'models', 'mobilenetv2-12-int8'));
    const images = await Promise.all(['photos/chelsea.png', 'darknet/dog.jpg'].map((file) => decodeImage(readFileSync(sharedImage(file)))));
    // Decoded pixels live in shared memory: the recipe carries them to the thread without a copy.
    expect(images[0].rgb.buffer).toBeInstanceOf(SharedArrayBuffer);
    const input = manifest.input;
    const here = await materialize(wholeOf(images, input));
    expect(here.dims).toEqual([2, 3, 224, 224]);
    const local = await ort.InferenceSession.create(modelPath, sessionOptions(1));
    try {
      const expected = (await local.run({ [local.inputNames[0]]: here }))[local.outputNames[0]];
      const graphMsBefore = session.graphMs;
      const outputs = await session.run({ [session.inputNames[0]]: wholeOf(images, input) });
      expect(Array.from(outputs[session.outputNames[0]].data as Float32Array)).toEqual(Array.from(expected.data as Float32Array));
      expect(session.graphMs).toBeGreaterThan(graphMsBefore);
    } finally {
      await local.release();
    }
    // A letterbox keeps the image's shape: the dog photo (768×576) fills the width.
    const boxed = await materialize(letterboxOf(images[1], { ...input, resize: 'letterbox', width: 224, height: 224 }));
    expect(boxed.dims).toEqual([1, 3, 224, 224]);
  });

  it('leaves the event loop free while the model runs (onnxruntime-node would hold it)', async () => {
    let done = false;
    let turns = 0;
    const turn = () => {
      if (done) return;
      turns += 1;
      setImmediate(turn);
    };
    const run = session.run({ [session.inputNames[0]]: tensor(batch(12)) }).then(() => {
      done = true;
    });
    setImmediate(turn);
    await run;
    // Run on this thread, the graph would finish before the first turn.
    expect(turns).toBeGreaterThan(1);
  });

  it('moves a feed that owns its buffer, and copies one that is a view into a larger buffer', async () => {
    const owned = batch(1);
    await session.run({ [session.inputNames[0]]: tensor(owned) });
    expect(owned.byteLength).toBe(0);

    const shared = batch(2);
    const view = shared.subarray(VIEW);
    const before = Array.from(view.subarray(0, 16));
    const output = (await session.run({ [session.inputNames[0]]: tensor(view) }))[session.outputNames[0]];
    expect(output.dims).toEqual([1, 1000]);
    expect(Array.from(view.subarray(0, 16))).toEqual(before);
    expect(shared.length).toBe(2 * VIEW);
  });

  it('refuses a feed whose data an earlier run already moved, instead of waiting for ever', async () => {
    const input = tensor(batch(1));
    await session.run({ [session.inputNames[0]]: input });
    await expect(session.run({ [session.inputNames[0]]: input })).rejects.toThrow(/already moved/);
    const output = (await session.run({ [session.inputNames[0]]: tensor(batch(1)) }))[session.outputNames[0]];
    expect(output.dims).toEqual([1, 1000]);
  });

  it("rejects a bad feed with ONNX Runtime's message and keeps working", async () => {
    await expect(session.run({ nonsense: tensor(batch(1)) })).rejects.toThrow(/nonsense|input/i);
    const output = (await session.run({ [session.inputNames[0]]: tensor(batch(1)) }))[session.outputNames[0]];
    expect(output.dims).toEqual([1, 1000]);
  });

  it('runs concurrent requests one after another, each getting its own answer', async () => {
    const inputs = [batch(1, 7), batch(1, 8), batch(1, 9)];
    const alone = [];
    for (const input of inputs)
      alone.push(
        Array.from((await session.run({ [session.inputNames[0]]: tensor(input.slice()) }))[session.outputNames[0]].data as Float32Array),
      );
    const together = await Promise.all(inputs.map((input) => session.run({ [session.inputNames[0]]: tensor(input) })));
    expect(together.map((result) => Array.from(result[session.outputNames[0]].data as Float32Array))).toEqual(alone);
  });

  it('finishes the runs in flight on release, then refuses new ones', async () => {
    const own = await createSession(modelPath, 1);
    const inFlight = own.run({ [own.inputNames[0]]: tensor(batch(1)) });
    const released = own.release();
    expect((await inFlight)[own.outputNames[0]].dims).toEqual([1, 1000]);
    await released;
    await own.release();
    await expect(own.run({ [own.inputNames[0]]: tensor(batch(1)) })).rejects.toThrow(/released/);
  });

  it('says which file it could not load', async () => {
    await expect(createSession(resolve(sharedDir, 'models', 'README.md'))).rejects.toThrow(/README\.md|protobuf|load/i);
  });
});
