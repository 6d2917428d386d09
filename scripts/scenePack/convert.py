#!/usr/bin/env python3
# The scene pack converter that `npm run model:pull -- squeezenet-places365` runs (docs/models.md).
# With Debian's python3-onnx 1.12 and numpy 1.24 its output matches the SHA-256 in
# models/manifests/squeezenet-places365.json byte for byte; model:pull refuses anything else.
"""Convert urbste/squeezenet_places365 (Lasagne/Theano pickle) to ONNX.

Inputs (from the two source repositories, see README.md):
  squeezenet_weights_places365.params  - pickle (protocol 3) of 152 numpy float32 arrays,
      in lasagne.layers.get_all_param_values order:
      25 x [conv W, conv b, BN beta, BN gamma, BN mean, BN inv_std] then conv10 W, conv10 b
  places365CNN_mean.binaryproto        - Caffe BlobProto, 1x3x256x256 BGR mean image (0..255)

Network (squeezenetv2.py in the source repo): SqueezeNet v1.1 with a BatchNormLayer after every
conv and Lasagne rrelu (deterministic slope (0.3+0.8)/2 = 0.55) as nonlinearity, conv10 ->
rrelu -> 13x13 average pool -> softmax. Lasagne Conv2DLayer has flip_filters=True (true
convolution); ONNX Conv is cross-correlation, so 3x3 kernels are flipped spatially.

Usage: python3 convert.py PARAMS MEAN_BINARYPROTO OUT.onnx [--selftest]
  debug variants used to check the conversion: --noflip, --channel-mean, --debug-no-bgr-swap
"""
import pickle
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

RRELU_SLOPE = (0.3 + 0.8) / 2.0  # Lasagne RandomizedRectifierLayer defaults, deterministic
BN_EPS_NOTE = "Lasagne stores inv_std = 1/sqrt(var+eps) directly; nothing to add"


def load_params(path):
    with open(path, "rb") as f:
        params = pickle.load(f, encoding="latin1")
    assert len(params) == 152, len(params)
    return [np.asarray(p, dtype=np.float32) for p in params]


def read_varint(buf, i):
    shift = 0
    val = 0
    while True:
        b = buf[i]
        i += 1
        val |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return val, i


def load_caffe_mean(path):
    """Minimal protobuf parse of a Caffe BlobProto (fields num/channels/height/width/data)."""
    buf = open(path, "rb").read()
    i = 0
    dims = {}
    data = None
    while i < len(buf):
        key, i = read_varint(buf, i)
        field, wtype = key >> 3, key & 7
        if wtype == 0:
            v, i = read_varint(buf, i)
            dims[field] = v
        elif wtype == 2:
            ln, i = read_varint(buf, i)
            if field == 5:
                data = np.frombuffer(buf[i:i + ln], dtype="<f4").copy()
            i += ln
        elif wtype == 5:
            i += 4
        elif wtype == 1:
            i += 8
        else:
            raise ValueError("unexpected wire type %d" % wtype)
    c, h, w = dims.get(2, 3), dims.get(3, 256), dims.get(4, 256)
    return data.reshape(c, h, w)  # BGR


def conv_specs():
    """(name, kernel, stride, pad) in parameter order."""
    specs = [("conv1", 3, 2, 1)]
    for k in range(2, 10):
        specs += [("fire%d_squeeze1x1" % k, 1, 1, 0),
                  ("fire%d_expand1x1" % k, 1, 1, 0),
                  ("fire%d_expand3x3" % k, 3, 1, 1)]
    return specs


def fold(params, flip=True):
    """Return dict name -> (W, b) with BatchNorm folded in, kernels flipped for ONNX."""
    out = {}
    for idx, (name, k, _s, _p) in enumerate(conv_specs()):
        W, b, beta, gamma, mean, inv_std = params[idx * 6: idx * 6 + 6]
        assert W.shape[2] == k and W.shape[3] == k, (name, W.shape)
        if flip:
            W = W[:, :, ::-1, ::-1]
        s = inv_std * gamma
        out[name] = ((W * s[:, None, None, None]).astype(np.float32),
                     ((b - mean) * s + beta).astype(np.float32))
    W10, b10 = params[150], params[151]
    out["conv10"] = (W10.astype(np.float32), b10.astype(np.float32))
    return out


def build(params, mean_bgr_crop, flip=True, opset=13, swap_to_bgr=True):
    folded = fold(params, flip)
    inits, nodes = [], []

    def const(name, arr):
        inits.append(numpy_helper.from_array(np.ascontiguousarray(arr), name))
        return name

    def conv(x, name, k, s, p):
        W, b = folded[name]
        const(name + ".W", W)
        const(name + ".b", b)
        nodes.append(helper.make_node("Conv", [x, name + ".W", name + ".b"], [name],
                                      kernel_shape=[k, k], strides=[s, s], pads=[p, p, p, p],
                                      name=name))
        nodes.append(helper.make_node("LeakyRelu", [name], [name + "_act"], alpha=RRELU_SLOPE,
                                      name=name + "_rrelu"))
        return name + "_act"

    # --- preprocessing baked in: RGB 0..255 -> BGR, minus Places365 mean, / 255 ---
    const("bgr_idx", np.array([2, 1, 0] if swap_to_bgr else [0, 1, 2], dtype=np.int64))
    # mean image stored as float16 (saves 300 kB; max rounding error 0.03 on a 0..255 scale)
    const("mean_bgr_f16", mean_bgr_crop[None].astype(np.float16))
    nodes.append(helper.make_node("Cast", ["mean_bgr_f16"], ["mean_bgr"], to=TensorProto.FLOAT,
                                  name="mean_to_float"))
    const("inv255", np.array(1.0 / 255.0, dtype=np.float32))
    nodes.append(helper.make_node("Gather", ["image_rgb_0_255", "bgr_idx"], ["bgr"], axis=1,
                                  name="rgb_to_bgr"))
    nodes.append(helper.make_node("Sub", ["bgr", "mean_bgr"], ["centered"], name="sub_mean"))
    nodes.append(helper.make_node("Mul", ["centered", "inv255"], ["x"], name="div255"))

    x = conv("x", "conv1", 3, 2, 1)
    nodes.append(helper.make_node("MaxPool", [x], ["pool1"], kernel_shape=[3, 3], strides=[2, 2],
                                  name="pool1"))
    x = "pool1"
    for k in range(2, 10):
        sq = conv(x, "fire%d_squeeze1x1" % k, 1, 1, 0)
        e1 = conv(sq, "fire%d_expand1x1" % k, 1, 1, 0)
        e3 = conv(sq, "fire%d_expand3x3" % k, 3, 1, 1)
        nodes.append(helper.make_node("Concat", [e1, e3], ["fire%d_concat" % k], axis=1,
                                      name="fire%d_concat" % k))
        x = "fire%d_concat" % k
        if k in (3, 5):
            nodes.append(helper.make_node("MaxPool", [x], ["pool%d" % k], kernel_shape=[3, 3],
                                          strides=[2, 2], name="pool%d" % k))
            x = "pool%d" % k
    # conv10 (no BN) -> rrelu -> 13x13 average -> logits; softmax -> probs
    W10, b10 = folded["conv10"]
    const("conv10.W", W10)
    const("conv10.b", b10)
    nodes.append(helper.make_node("Conv", [x, "conv10.W", "conv10.b"], ["conv10"],
                                  kernel_shape=[1, 1], name="conv10"))
    nodes.append(helper.make_node("LeakyRelu", ["conv10"], ["conv10_act"], alpha=RRELU_SLOPE,
                                  name="conv10_rrelu"))
    nodes.append(helper.make_node("GlobalAveragePool", ["conv10_act"], ["pool10"], name="pool10"))
    nodes.append(helper.make_node("Flatten", ["pool10"], ["logits"], axis=1, name="flatten"))
    nodes.append(helper.make_node("Softmax", ["logits"], ["probs"], axis=1, name="softmax"))

    inp = helper.make_tensor_value_info("image_rgb_0_255", TensorProto.FLOAT,
                                        ["batch", 3, 224, 224])
    outs = [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", 365]),
            helper.make_tensor_value_info("probs", TensorProto.FLOAT, ["batch", 365])]
    graph = helper.make_graph(nodes, "squeezenet_v1.1_bn_places365", [inp], outs, inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)],
                              producer_name="labelgate-convert")
    model.ir_version = 8
    model.doc_string = ("SqueezeNet v1.1 + BatchNorm, Places365 (urbste/squeezenet_places365). "
                        "Input: RGB, 0..255, NCHW 1x3x224x224 (resize to 256x256, centre-crop 224). "
                        "Outputs: logits [N,365], probs [N,365] (softmax), index order of "
                        "categories_places365.txt.")
    meta = {
        "labels": "categories_places365.txt order (365 classes), e.g. 0=airfield, 364=zen_garden",
        "input": "image_rgb_0_255: float32 [N,3,224,224], RGB, values 0..255; resize the photo to "
                 "256x256 (ignore aspect, as Places365 val_256) and centre-crop 224x224",
        "preprocessing_in_graph": "RGB->BGR, minus Places365 mean image (centre 224 of "
                                  "places365CNN_mean.binaryproto), /255",
        "source": "github.com/urbste/squeezenet_places365 @ edb6ca9bb8455856a0a61cd5c3bcb8ac3c101e9a "
                  "squeezenet_weights_places365.params",
        "licence": "none stated by the weights' author; Places365 images are for non-commercial "
                   "research/education",
    }
    for k, v in meta.items():
        p = model.metadata_props.add()
        p.key, p.value = k, v
    onnx.checker.check_model(model)
    return model


# ---------------- numpy reference (Lasagne semantics, unfolded BN) ----------------
def np_conv(x, W, stride, pad, true_conv=True):
    """x [C,H,W], W [O,C,k,k]. Lasagne flip_filters=True => true convolution."""
    if true_conv:
        W = W[:, :, ::-1, ::-1]
    C, H, Wd = x.shape
    O, _, k, _ = W.shape
    xp = np.pad(x, ((0, 0), (pad, pad), (pad, pad)))
    Ho = (H + 2 * pad - k) // stride + 1
    Wo = (Wd + 2 * pad - k) // stride + 1
    cols = np.empty((C, k, k, Ho, Wo), dtype=np.float32)
    for i in range(k):
        for j in range(k):
            cols[:, i, j] = xp[:, i:i + stride * Ho:stride, j:j + stride * Wo:stride]
    return np.tensordot(W, cols, axes=([1, 2, 3], [0, 1, 2]))


def np_maxpool(x):
    C, H, W = x.shape
    Ho, Wo = (H - 3) // 2 + 1, (W - 3) // 2 + 1
    out = np.full((C, Ho, Wo), -np.inf, dtype=np.float32)
    for i in range(3):
        for j in range(3):
            out = np.maximum(out, x[:, i:i + 2 * Ho:2, j:j + 2 * Wo:2])
    return out


def np_forward(params, x_bgr_centered, true_conv=True):
    """x: [3,224,224] already (BGR - mean)/255. Returns logits (pre-softmax) [365]."""
    lr = lambda t: np.where(t > 0, t, RRELU_SLOPE * t)
    specs = conv_specs()

    def cbr(t, idx):
        name, k, s, p = specs[idx]
        W, b, beta, gamma, mean, inv_std = params[idx * 6: idx * 6 + 6]
        y = np_conv(t, W, s, p, true_conv) + b[:, None, None]
        y = (y - mean[:, None, None]) * (inv_std * gamma)[:, None, None] + beta[:, None, None]
        return lr(y)

    t = np_maxpool(cbr(x_bgr_centered, 0))
    idx = 1
    for k in range(2, 10):
        sq = cbr(t, idx)
        t = np.concatenate([cbr(sq, idx + 1), cbr(sq, idx + 2)], axis=0)
        idx += 3
        if k in (3, 5):
            t = np_maxpool(t)
    y = lr(np_conv(t, params[150], 1, 0, true_conv) + params[151][:, None, None])
    return y.mean(axis=(1, 2))


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    flip = "--noflip" not in sys.argv
    params = load_params(args[0])
    mean = load_caffe_mean(args[1])
    c, h, w = mean.shape
    crop = mean[:, h // 2 - 112:h // 2 + 112, w // 2 - 112:w // 2 + 112]
    if "--channel-mean" in sys.argv:
        crop = np.broadcast_to(crop.mean(axis=(1, 2))[:, None, None], crop.shape)
    print("mean image", mean.shape, "per-channel BGR mean", mean.mean(axis=(1, 2)))
    model = build(params, crop, flip=flip, swap_to_bgr="--debug-no-bgr-swap" not in sys.argv)
    onnx.save(model, args[2])
    print("saved", args[2], "flip" if flip else "noflip")
    if "--selftest" in sys.argv:
        rng = np.random.default_rng(0)
        img = rng.uniform(0, 255, (3, 224, 224)).astype(np.float32)
        np.save(args[2] + ".selftest_input.npy", img[None])
        x = (img[::-1] - crop.astype(np.float16).astype(np.float32)) / 255.0
        ref = np_forward(params, x.astype(np.float32), true_conv=flip)
        np.save(args[2] + ".selftest_logits.npy", ref[None])
        print("reference logits top5", np.argsort(-ref)[:5], ref[np.argsort(-ref)[:5]])
