// Jest runs tests in their own V8 context, whose typed-array constructors differ from the main
// context's; onnxruntime-node checks tensors with instanceof against the main ones. Sharing the main
// context's typed arrays lets real tensors built in tests and in src/ pass that check.
const { TestEnvironment } = require('jest-environment-node');

const TYPED_ARRAYS = [
  'Float32Array',
  'Float64Array',
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'BigInt64Array',
  'BigUint64Array',
  'ArrayBuffer',
];

class SharedTypedArraysEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of TYPED_ARRAYS) this.global[name] = globalThis[name];
    // Node 22 adds Symbol.dispose and Symbol.asyncDispose to its own context only (V8 12 lacks
    // them); undici 8 disposes of abort listeners through Symbol.dispose, so a test context needs
    // the same symbols as the main one.
    for (const name of ['dispose', 'asyncDispose'])
      if (this.global.Symbol[name] === undefined) Object.defineProperty(this.global.Symbol, name, { value: Symbol[name] });
  }
}

// A jest worker ends when its event loop drains after jest's last message; Node then tears down
// its environment and V8 heap before the process ends, and jest-worker kills a worker that has
// not ended 500 ms after that message and prints "A worker process has failed to exit gracefully",
// on two busy cores even when nothing leaked. Once the loop has drained, nothing is left to do: the
// worker exits there and then, without the teardown. What is left (freeing the memory) grows with
// the worker's heap, which is why ts-jest only transpiles (jest.config.js). A worker that leaks a
// handle never drains, so it is still reported.
if (typeof process.send === 'function') process.once('beforeExit', (code) => process.exit(code));

module.exports = SharedTypedArraysEnvironment;
