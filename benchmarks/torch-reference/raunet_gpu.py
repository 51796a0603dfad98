#!/usr/bin/env python3
"""GPU reference figures for the RAU-Net ONNX graphs this project ships, on a machine with PyTorch + CUDA.

Why this exists: the GPU machines lent to this project carry PyTorch and CUDA but no .NET SDK, no network and no
room for ONNX Runtime's CUDA provider (284 MB), so the C# inference server cannot run there. This script runs the
same ONNX graphs with PyTorch's CUDA kernels instead:

1. an ONNX interpreter over torch.nn.functional (the op set our exporter emits: Conv, ConvTranspose,
   BatchNormalization, LeakyRelu, Selu, Sigmoid, GlobalAveragePool, Add, Mul, Concat, Softmax, Slice, Identity);
2. a graph builder that emits the exporter's RAU-Net graph (SE attention, 128 px head) at any width with random
   He-normal weights (speed does not depend on the values);
3. checks: the builder's width-8 graph has the shipped embedded model's exact op sequence and weight shapes; the
   interpreter on the GPU reproduces ONNX Runtime (CPU) on the shipped model; the width-128 parameter count plus
   the two training-only heads equals docs/MODEL.md's 24,876,294;
4. throughput (tiles/s) per width, batch size and precision, peak GPU memory, and ONNX Runtime CPU for scale.

Usage: python3 benchmarks/torch-reference/raunet_gpu.py [--model models/embedded/model.onnx] [--quick]
Prints one JSON document (and a Markdown table) on stdout.
"""
import argparse
import json
import math
import time

import numpy as np
import onnx
from onnx import helper, numpy_helper, TensorProto
import torch
import torch.nn.functional as F

LEVELS = 4
INPUTS = 23
TILE = 128
SLOPE = 0.3
EPS = 1e-3  # BatchNorm epsilon; read back from the shipped graph when it differs


# ---------------------------------------------------------------- interpreter
def _attrs(node):
    return {a.name: helper.get_attribute_value(a) for a in node.attribute}


def _conv(x, w, b, pads, strides):
    top, left, bottom, right = pads
    if top == bottom and left == right:
        return F.conv2d(x, w, b, stride=tuple(strides), padding=(top, left))
    return F.conv2d(F.pad(x, (left, right, top, bottom)), w, b, stride=tuple(strides))


class OnnxTorch:
    """Runs an ONNX graph of the exporter's op set with torch ops on one device and dtype."""

    def __init__(self, model, device, dtype):
        self.nodes = list(model.graph.node)
        self.input = model.graph.input[0].name
        self.output = model.graph.output[0].name
        self.weights = {}
        for init in model.graph.initializer:
            array = numpy_helper.to_array(init)
            tensor = torch.from_numpy(np.array(array, copy=True)).to(device)
            self.weights[init.name] = tensor.to(dtype) if tensor.is_floating_point() else tensor
        self.attrs = [_attrs(n) for n in self.nodes]

    @torch.no_grad()
    def __call__(self, x):
        env = dict(self.weights)
        env[self.input] = x
        for node, at in zip(self.nodes, self.attrs):
            i = [env[name] if name else None for name in node.input]
            op = node.op_type
            if op == "Conv":
                y = _conv(i[0], i[1], i[2] if len(i) > 2 else None, at.get("pads", [0, 0, 0, 0]), at.get("strides", [1, 1]))
            elif op == "ConvTranspose":
                assert not any(at.get("pads", [0, 0, 0, 0])), "only unpadded ConvTranspose is emitted"
                y = F.conv_transpose2d(i[0], i[1], i[2] if len(i) > 2 else None, stride=tuple(at["strides"]))
            elif op == "BatchNormalization":
                y = F.batch_norm(i[0], i[3], i[4], i[1], i[2], training=False, eps=at.get("epsilon", 1e-5))
            elif op == "LeakyRelu":
                y = F.leaky_relu(i[0], at.get("alpha", 0.01))
            elif op == "Selu":
                y = F.selu(i[0])
            elif op == "Relu":
                y = F.relu(i[0])
            elif op == "Sigmoid":
                y = torch.sigmoid(i[0])
            elif op == "GlobalAveragePool":
                y = i[0].mean(dim=(2, 3), keepdim=True)
            elif op == "Add":
                y = i[0] + i[1]
            elif op == "Mul":
                y = i[0] * i[1]
            elif op == "Div":
                y = i[0] / i[1]
            elif op == "Concat":
                y = torch.cat(i, dim=at["axis"])
            elif op == "Softmax":
                y = torch.softmax(i[0], dim=at.get("axis", -1))
            elif op == "Slice":
                y = i[0]
                for start, end, axis in zip(i[1].tolist(), i[2].tolist(), i[3].tolist()):
                    y = y.narrow(axis, start, end - start)
            elif op == "Identity":
                y = i[0]
            else:
                raise NotImplementedError(op)
            env[node.output[0]] = y
        return env[self.output]


# ---------------------------------------------------------------- builder
class GraphBuilder:
    """Mirrors src/Landslide.Training/Export/OnnxExporter.cs node for node (SE attention)."""

    def __init__(self, width, rng, eps):
        self.f = width
        self.rng = rng
        self.eps = eps
        self.nodes, self.inits, self.n = [], [], 0

    def unique(self, prefix):
        self.n += 1
        return f"{prefix}_{self.n}"

    def init(self, prefix, array):
        name = self.unique(prefix)
        self.inits.append(numpy_helper.from_array(array.astype(array.dtype), name))
        return name

    def node(self, op, inputs, **attrs):
        out = self.unique(op.lower())
        self.nodes.append(helper.make_node(op, inputs, [out], name=out + "_node", **attrs))
        return out

    def he(self, shape, fan_in):
        return (self.rng.standard_normal(shape) * math.sqrt(2.0 / fan_in)).astype(np.float32)

    def conv(self, x, cin, cout, k, pads, stride=1):
        w = self.init("w", self.he((cout, cin, k, k), cin * k * k))
        b = self.init("b", np.zeros(cout, np.float32))
        return self.node("Conv", [x, w, b], kernel_shape=[k, k], pads=pads, strides=[stride, stride])

    def conv_t(self, x, cin, cout, k, stride):
        w = self.init("w", self.he((cin, cout, k, k), cout * k * k))
        b = self.init("b", np.zeros(cout, np.float32))
        return self.node("ConvTranspose", [x, w, b], kernel_shape=[k, k], strides=[stride, stride], pads=[0, 0, 0, 0])

    def bn(self, x, c):
        ins = [x, self.init("gamma", np.ones(c, np.float32)), self.init("beta", np.zeros(c, np.float32)),
               self.init("mean", np.zeros(c, np.float32)), self.init("var", np.ones(c, np.float32))]
        return self.node("BatchNormalization", ins, epsilon=self.eps)

    def lrelu(self, x):
        return self.node("LeakyRelu", [x], alpha=SLOPE)

    def block(self, x, c):
        a = self.lrelu(self.bn(self.conv(x, c, c, 3, [1, 1, 1, 1]), c))
        b = self.lrelu(self.bn(self.conv(x, c, c, 2, [0, 0, 1, 1]), c))
        y = self.lrelu(self.bn(self.conv(self.node("Add", [a, b]), c, c, 3, [1, 1, 1, 1]), c))
        pooled = self.node("GlobalAveragePool", [y])
        hidden = self.node("Selu", [self.conv(pooled, c, c // 2, 1, [0, 0, 0, 0])])
        gate = self.node("Sigmoid", [self.conv(hidden, c // 2, c, 1, [0, 0, 0, 0])])
        return self.node("Add", [self.node("Mul", [y, gate]), x])

    def build(self):
        f = self.f
        x = self.lrelu(self.bn(self.conv("features", INPUTS, f, 3, [1, 1, 1, 1]), f))
        skips = []
        for _ in range(LEVELS):
            skips.append(self.block(x, f))
            x = self.node("Selu", [self.conv(skips[-1], f, f, 2, [0, 0, 0, 0], stride=2)])
        for level in range(LEVELS - 1, -1, -1):
            c = (LEVELS - level) * f
            up = self.node("Selu", [self.conv_t(x, c, c, 2, 2)])
            x = self.block(self.node("Concat", [up, skips[level]], axis=1), c + f)
        logits = self.conv(x, (LEVELS + 1) * f, 2, 1, [0, 0, 0, 0])
        soft = self.node("Softmax", [logits], axis=1)
        starts = self.init("starts", np.array([1], np.int64))
        ends = self.init("ends", np.array([2], np.int64))
        axes = self.init("axes", np.array([1], np.int64))
        sliced = self.node("Slice", [soft, starts, ends, axes])
        self.nodes.append(helper.make_node("Identity", [sliced], ["probability"], name="probability_identity"))
        graph = helper.make_graph(
            self.nodes, "rau_net",
            [helper.make_tensor_value_info("features", TensorProto.FLOAT, ["N", INPUTS, TILE, TILE])],
            [helper.make_tensor_value_info("probability", TensorProto.FLOAT, ["N", 1, TILE, TILE])],
            self.inits)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
        model.ir_version = 8
        return model


def signature(model):
    shapes = {i.name: tuple(i.dims) for i in model.graph.initializer}
    return [(n.op_type, tuple(shapes[x] for x in n.input if x in shapes)) for n in model.graph.node]


def trainable_params(model):
    """Exported trainable parameters: conv/linear weights and biases, BN gamma and beta (running stats excluded)."""
    total = 0
    for node in model.graph.node:
        shapes = {i.name: tuple(i.dims) for i in model.graph.initializer}
        ins = [x for x in node.input if x in shapes]
        if node.op_type in ("Conv", "ConvTranspose"):
            total += sum(int(np.prod(shapes[x])) for x in ins)
        elif node.op_type == "BatchNormalization":
            total += sum(int(np.prod(shapes[x])) for x in ins[:2])
    return total


def training_only_heads(f):
    top = (LEVELS + 1) * f
    head256 = top * 64 * 9 + 64 + 64 * 2 + 2
    head64 = top * 64 * 9 + 64 + 64 * 2 + 2
    return head256 + head64


# ---------------------------------------------------------------- timing
def gpu_rate(run, batch, dtype, device, seconds):
    x = torch.rand(batch, INPUTS, TILE, TILE, device=device, dtype=dtype) * 2
    for _ in range(3):
        run(x)
    torch.cuda.synchronize()
    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    iters, elapsed = 0, 0.0
    t0 = time.perf_counter()
    start.record()
    while time.perf_counter() - t0 < seconds or iters < 3:
        out = run(x)
        iters += 1
        if iters % 5 == 0:
            torch.cuda.synchronize()
    end.record()
    torch.cuda.synchronize()
    elapsed = start.elapsed_time(end) / 1000.0
    finite = bool(torch.isfinite(out).all().item())
    return iters * batch / elapsed, finite


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="models/embedded/model.onnx")
    ap.add_argument("--quick", action="store_true", help="small sizes, for machines without a GPU")
    ap.add_argument("--seconds", type=float, default=2.0)
    args = ap.parse_args()
    report = {"torch": torch.__version__, "cuda": torch.cuda.is_available()}
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if device.type == "cuda":
        report["gpu"] = torch.cuda.get_device_name(0)
        torch.backends.cudnn.benchmark = True

    shipped = onnx.load(args.model)
    eps = next((a.f for n in shipped.graph.node if n.op_type == "BatchNormalization" for a in n.attribute if a.name == "epsilon"), EPS)
    rng = np.random.default_rng(42)

    # 1. The builder emits the exporter's graph: same ops, same weight shapes, in the same order.
    built8 = GraphBuilder(8, rng, eps).build()
    report["builder_matches_shipped_graph"] = signature(built8) == signature(shipped)

    # 2. The interpreter reproduces ONNX Runtime (CPU) on the shipped model, on real-scale inputs.
    x = (np.random.default_rng(7).random((4, INPUTS, TILE, TILE)) * 2).astype(np.float32)
    try:
        import onnxruntime as ort
        so = ort.SessionOptions()
        ref = ort.InferenceSession(shipped.SerializeToString(), so, providers=["CPUExecutionProvider"]).run(None, {"features": x})[0]
        got = OnnxTorch(shipped, device, torch.float32)(torch.from_numpy(x).to(device)).float().cpu().numpy()
        report["interpreter_vs_onnxruntime_max_abs_diff"] = float(np.abs(ref - got).max())
        got16 = OnnxTorch(shipped, device, torch.float16)(torch.from_numpy(x).to(device).half()).float().cpu().numpy()
        report["float16_vs_float32_max_abs_diff"] = float(np.abs(ref - got16).max())
        report["float16_mask_agreement_at_0.5"] = float(((ref >= 0.5) == (got16 >= 0.5)).mean())
    except ImportError:
        report["onnxruntime"] = "not installed"

    # 3. Parameter count at the paper's width.
    built128 = GraphBuilder(128, rng, eps).build()
    exported = trainable_params(built128)
    report["width128_exported_params"] = exported
    report["width128_params_with_training_heads"] = exported + training_only_heads(128)

    # 4. Throughput.
    widths = [8, 32] if args.quick else [8, 32, 128]
    batches = [8] if args.quick else [8, 16, 32, 64]
    seconds = 0.3 if args.quick else args.seconds
    rows = []
    for width in widths:
        graph = shipped if width == 8 else GraphBuilder(width, rng, eps).build()
        precisions = [("float32", torch.float32, False)]
        if device.type == "cuda":
            precisions += [("tf32", torch.float32, True), ("float16", torch.float16, False), ("bfloat16", torch.bfloat16, False)]
        for name, dtype, tf32 in precisions:
            torch.backends.cuda.matmul.allow_tf32 = tf32
            torch.backends.cudnn.allow_tf32 = tf32
            run = OnnxTorch(graph, device, dtype)
            for batch in batches:
                if device.type == "cuda":
                    torch.cuda.empty_cache()
                    torch.cuda.reset_peak_memory_stats()
                    rate, finite = gpu_rate(run, batch, dtype, device, seconds)
                    mem = torch.cuda.max_memory_allocated() / 2**20
                else:
                    xb = torch.rand(batch, INPUTS, TILE, TILE) * 2
                    t0 = time.perf_counter()
                    out = run(xb)
                    rate, finite, mem = batch / (time.perf_counter() - t0), bool(torch.isfinite(out).all()), None
                rows.append({"width": width, "precision": name, "batch": batch, "tiles_per_s": round(rate, 1),
                             "peak_gpu_mib": None if mem is None else round(mem), "finite": finite})
                print(f"# width {width} {name} batch {batch}: {rate:.1f} tiles/s", flush=True)
            del run
    report["torch_rows"] = rows

    # 5. ONNX Runtime CPU on this machine's cores, for scale.
    try:
        import onnxruntime as ort
        import os
        cpu_rows = []
        for width in ([8] if args.quick else [8, 32]):
            graph = shipped if width == 8 else GraphBuilder(width, rng, eps).build()
            sess = ort.InferenceSession(graph.SerializeToString(), providers=["CPUExecutionProvider"])
            xb = (np.random.default_rng(1).random((8, INPUTS, TILE, TILE)) * 2).astype(np.float32)
            sess.run(None, {"features": xb})
            t0, n = time.perf_counter(), 0
            while time.perf_counter() - t0 < (0.5 if args.quick else 3.0):
                sess.run(None, {"features": xb})
                n += 8
            cpu_rows.append({"width": width, "batch": 8, "cores": os.cpu_count(), "tiles_per_s": round(n / (time.perf_counter() - t0), 1)})
        report["onnxruntime_cpu_rows"] = cpu_rows
    except ImportError:
        pass

    print(json.dumps(report, indent=1))
    print("\n| width | precision | batch | tiles/s | peak GPU MiB |\n|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['width']} | {r['precision']} | {r['batch']} | {r['tiles_per_s']} | {r['peak_gpu_mib']} |")


if __name__ == "__main__":
    main()
