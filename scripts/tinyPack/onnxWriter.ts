// A minimal ONNX (protobuf) writer: enough of onnx.proto to build small graphs without Python.
import protobuf from 'protobufjs';

const root = protobuf.Root.fromJSON({
  nested: {
    onnx: {
      nested: {
        ModelProto: {
          fields: {
            irVersion: { type: 'int64', id: 1 },
            opsetImport: { rule: 'repeated', type: 'OperatorSetIdProto', id: 8 },
            producerName: { type: 'string', id: 2 },
            graph: { type: 'GraphProto', id: 7 },
          },
        },
        OperatorSetIdProto: { fields: { domain: { type: 'string', id: 1 }, version: { type: 'int64', id: 2 } } },
        GraphProto: {
          fields: {
            node: { rule: 'repeated', type: 'NodeProto', id: 1 },
            name: { type: 'string', id: 2 },
            initializer: { rule: 'repeated', type: 'TensorProto', id: 5 },
            input: { rule: 'repeated', type: 'ValueInfoProto', id: 11 },
            output: { rule: 'repeated', type: 'ValueInfoProto', id: 12 },
          },
        },
        NodeProto: {
          fields: {
            input: { rule: 'repeated', type: 'string', id: 1 },
            output: { rule: 'repeated', type: 'string', id: 2 },
            name: { type: 'string', id: 3 },
            opType: { type: 'string', id: 4 },
            attribute: { rule: 'repeated', type: 'AttributeProto', id: 5 },
          },
        },
        AttributeProto: {
          fields: {
            name: { type: 'string', id: 1 },
            i: { type: 'int64', id: 3 },
            ints: { rule: 'repeated', type: 'int64', id: 8 },
            type: { type: 'int32', id: 20 },
          },
        },
        TensorProto: {
          fields: {
            dims: { rule: 'repeated', type: 'int64', id: 1 },
            dataType: { type: 'int32', id: 2 },
            name: { type: 'string', id: 8 },
            rawData: { type: 'bytes', id: 9 },
          },
        },
        ValueInfoProto: { fields: { name: { type: 'string', id: 1 }, type: { type: 'TypeProto', id: 2 } } },
        TypeProto: { fields: { tensorType: { type: 'TypeProtoTensor', id: 1 } } },
        TypeProtoTensor: { fields: { elemType: { type: 'int32', id: 1 }, shape: { type: 'TensorShapeProto', id: 2 } } },
        TensorShapeProto: { fields: { dim: { rule: 'repeated', type: 'Dimension', id: 1 } } },
        Dimension: {
          oneofs: { value: { oneof: ['dimValue', 'dimParam'] } },
          fields: { dimValue: { type: 'int64', id: 1 }, dimParam: { type: 'string', id: 2 } },
        },
      },
    },
  },
});

export const FLOAT = 1;
export const INT64 = 7;
const ATTRIBUTE_INT = 2;
const ATTRIBUTE_INTS = 7;

export type Dim = number | string;

export const valueInfo = (name: string, elemType: number, dims: Dim[]) => ({
  name,
  type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
});

export const floatTensor = (name: string, dims: number[], values: Float32Array) => ({
  name,
  dims,
  dataType: FLOAT,
  rawData: Buffer.from(values.buffer, values.byteOffset, values.byteLength),
});

export const int64Tensor = (name: string, dims: number[], values: bigint[]) => ({
  name,
  dims,
  dataType: INT64,
  rawData: Buffer.from(new BigInt64Array(values).buffer),
});

export const node = (opType: string, input: string[], output: string[], attributes: Record<string, number | number[]> = {}) => ({
  opType,
  input,
  output,
  name: `${opType}_${output[0]}`,
  attribute: Object.entries(attributes).map(([name, value]) =>
    Array.isArray(value) ? { name, ints: value, type: ATTRIBUTE_INTS } : { name, i: value, type: ATTRIBUTE_INT },
  ),
});

export interface GraphSpec {
  name: string;
  nodes: ReturnType<typeof node>[];
  initializers: object[];
  inputs: ReturnType<typeof valueInfo>[];
  outputs: ReturnType<typeof valueInfo>[];
}

/** Serialises a graph as an ONNX model (IR 8, opset 17). */
export function encodeModel(graph: GraphSpec): Buffer {
  const Model = root.lookupType('onnx.ModelProto');
  const message = Model.fromObject({
    irVersion: 8,
    producerName: 'labelgate-tiny-pack',
    opsetImport: [{ domain: '', version: 17 }],
    graph: { name: graph.name, node: graph.nodes, initializer: graph.initializers, input: graph.inputs, output: graph.outputs },
  });
  return Buffer.from(Model.encode(message).finish());
}
