#!/usr/bin/env python3
"""Developer reference measurement: ONNX Runtime's own Python static quantizer.

    python ort_quantize_static.py --model M.onnx --calibration CAL_DIR --data EVAL_DIR --out OUT_DIR \
        [--variants defaults,entropy,percentile,per_channel_u8s8,tensorrt_like] [--preprocess]

Data dirs use ONNX's test-data layout:
    DIR/test_data_set_<n>/input_<i>.pb   serialized TensorProto, a batch of rows, i = model input order
    DIR/test_data_set_<n>/labels.pb      int64 class index per row
(a single DIR/labels.pb covering all sets in order is accepted as a fallback).
Sets are read in numeric order of n. Evaluation streams one set at a time.

Writes OUT_DIR/results.json, the quantized models OUT_DIR/<variant>.onnx, and prints a table.
This script is a developer tool only; it is not part of the product or its tests.
"""
import argparse
import json
import math
import logging
import os
import platform
import re
import shutil
import statistics
import sys
import time
import traceback
from datetime import datetime, timezone

import numpy as np
import onnx
import onnxruntime as ort
from onnx import numpy_helper
from onnxruntime.quantization import (
    CalibrationDataReader,
    CalibrationMethod,
    QuantFormat,
    QuantType,
    quantize_dynamic,
    quantize_static,
)

DEFAULT_VARIANTS = ["defaults", "entropy", "percentile", "per_channel_u8s8", "tensorrt_like"]

# Exact keyword arguments handed to quantize_static (or quantize_dynamic) per variant.
# Anything not listed is ORT's default: quant_format=QDQ, per_channel=False, reduce_range=False,
# activation_type=QInt8, weight_type=QInt8, calibrate_method=MinMax, extra_options=None.
VARIANTS = {
    "defaults": {},
    "entropy": {"calibrate_method": CalibrationMethod.Entropy},
    "percentile": {"calibrate_method": CalibrationMethod.Percentile},
    "per_channel_u8s8": {
        "per_channel": True,
        "activation_type": QuantType.QUInt8,
        "weight_type": QuantType.QInt8,
    },
    "tensorrt_like": {
        "per_channel": True,
        "extra_options": {"ActivationSymmetric": True, "WeightSymmetric": True},
    },
    # Optional extras (not run by default), matching other rows of compression.md §1.11.
    "qoperator_u8u8": {
        "quant_format": QuantFormat.QOperator,
        "activation_type": QuantType.QUInt8,
        "weight_type": QuantType.QUInt8,
    },
    "dynamic": {"__dynamic__": True},
}
PER_AXIS_MIN_OPSET = 13  # DequantizeLinear gained the 'axis' attribute in opset 13

LAT_WARMUP = 30
LAT_RUNS = 300


# ----------------------------------------------------------------------------------------------
# data
# ----------------------------------------------------------------------------------------------
def list_sets(root):
    sets = []
    for name in os.listdir(root):
        m = re.fullmatch(r"test_data_set_(\d+)", name)
        if m and os.path.isdir(os.path.join(root, name)):
            sets.append((int(m.group(1)), os.path.join(root, name)))
    if not sets:
        raise SystemExit(f"no test_data_set_<n> directories in {root}")
    return [p for _, p in sorted(sets)]


def read_pb(path):
    t = onnx.TensorProto()
    with open(path, "rb") as f:
        t.ParseFromString(f.read())
    return numpy_helper.to_array(t)


def load_set_inputs(set_dir, input_names, input_dtypes):
    feeds = {}
    for i, name in enumerate(input_names):
        p = os.path.join(set_dir, f"input_{i}.pb")
        if not os.path.exists(p):
            raise SystemExit(f"missing {p} (model input #{i} '{name}')")
        a = read_pb(p)
        if input_dtypes[i] is not None and a.dtype != input_dtypes[i]:
            a = a.astype(input_dtypes[i])
        feeds[name] = a
    return feeds


class LabelSource:
    """Per-set labels.pb, or a top-level labels.pb consumed in set order."""

    def __init__(self, root):
        top = os.path.join(root, "labels.pb")
        self.top = labels_to_1d(read_pb(top)) if os.path.exists(top) else None
        self.pos = 0

    def get(self, set_dir, rows):
        p = os.path.join(set_dir, "labels.pb")
        if os.path.exists(p):
            y = labels_to_1d(read_pb(p))
        elif self.top is not None:
            y = self.top[self.pos:self.pos + rows]
            self.pos += rows
        else:
            raise SystemExit(f"no labels.pb in {set_dir} nor at the data root")
        if len(y) != rows:
            raise SystemExit(f"{set_dir}: {len(y)} labels for {rows} rows")
        return y


def labels_to_1d(y):
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] > 1:  # one-hot
        y = y.argmax(axis=1)
    return y.reshape(-1).astype(np.int64)


def batch_chunks(feeds, rows, chunk):
    """Yield (feed_dict, n_real_rows) with at most `chunk` rows (0 = whole set)."""
    if chunk <= 0 or chunk >= rows:
        yield feeds, rows
        return
    for s in range(0, rows, chunk):
        yield {k: v[s:s + chunk] for k, v in feeds.items()}, min(chunk, rows - s)


def pad_rows(feeds, n, target):
    if n == target:
        return feeds
    out = {}
    for k, v in feeds.items():
        pad = np.zeros((target - n,) + v.shape[1:], dtype=v.dtype)
        out[k] = np.concatenate([v, pad], axis=0)
    return out


class SetReader(CalibrationDataReader):
    """Feeds each calibration set's inputs as stored (whole batch per set); splits to the model's
    fixed batch size if it has one (the remainder rows that do not fill a batch are dropped).

    uniform_batches: ORT 1.30's histogram calibrators (Entropy, Percentile, Distribution) call
    np.asarray() on the list of all calibration outputs, which raises 'inhomogeneous shape' when the
    sets hold different row counts. Then every set is split into chunks of gcd(set sizes) rows. That
    does not change the result: those calibrators flatten all collected values into one histogram
    (and MinMax takes min/max over all values), so only the values fed matter, not their batching."""

    def __init__(self, root, input_names, input_dtypes, fixed_batch, uniform_batches=False):
        self.sets = list_sets(root)
        self.input_names, self.input_dtypes, self.fixed_batch = input_names, input_dtypes, fixed_batch
        self.stats = {"sets": len(self.sets), "rows_fed": 0, "batches_fed": 0, "rows_dropped": 0,
                      "batch_shapes": []}
        self.chunk = fixed_batch
        if not fixed_batch and uniform_batches and len(self.sets) > 1:
            sizes = [set_rows(d) for d in self.sets]
            if len(set(sizes)) > 1:
                self.chunk = math.gcd(*sizes)
                self.stats["rebatched"] = (f"set sizes {sizes} differ; fed as batches of gcd = {self.chunk} rows "
                                           f"because ORT's histogram calibrators need equal batch shapes")
        self.stats["set_rows"] = [set_rows(d) for d in self.sets]
        self._it = None

    def _gen(self):
        for d in self.sets:
            feeds = load_set_inputs(d, self.input_names, self.input_dtypes)
            rows = next(iter(feeds.values())).shape[0]
            if self.chunk:
                full = rows - rows % self.chunk
                self.stats["rows_dropped"] += rows - full
                for s in range(0, full, self.chunk):
                    yield {k: v[s:s + self.chunk] for k, v in feeds.items()}
            else:
                yield feeds

    def get_next(self):
        if self._it is None:
            self._it = self._gen()
        b = next(self._it, None)
        if b is not None:
            self.stats["rows_fed"] += next(iter(b.values())).shape[0]
            self.stats["batches_fed"] += 1
            shp = list(next(iter(b.values())).shape)
            if shp not in self.stats["batch_shapes"]:
                self.stats["batch_shapes"].append(shp)
        return b

    def rewind(self):
        self._it = None


def set_rows(set_dir):
    t = onnx.TensorProto()
    with open(os.path.join(set_dir, "input_0.pb"), "rb") as f:
        t.ParseFromString(f.read())
    return int(t.dims[0]) if t.dims else 1


# ----------------------------------------------------------------------------------------------
# model helpers
# ----------------------------------------------------------------------------------------------
ORT_TYPE_TO_NP = {
    "tensor(float)": np.float32, "tensor(double)": np.float64, "tensor(float16)": np.float16,
    "tensor(int64)": np.int64, "tensor(int32)": np.int32, "tensor(uint8)": np.uint8, "tensor(int8)": np.int8,
}


def default_opset(model):
    for o in model.opset_import:
        if o.domain in ("", "ai.onnx"):
            return o.version
    return None


def model_facts(path):
    m = onnx.load(path)
    ops = {}
    for n in m.graph.node:
        key = n.op_type if n.domain in ("", "ai.onnx") else f"{n.domain}:{n.op_type}"
        ops[key] = ops.get(key, 0) + 1
    return {
        "file_bytes": os.path.getsize(path),
        "opset": default_opset(m),
        "opset_imports": {(o.domain or "ai.onnx"): o.version for o in m.opset_import},
        "ir_version": m.ir_version,
        "op_counts": dict(sorted(ops.items())),
        "initializers": len(m.graph.initializer),
    }


def make_session(path, threads):
    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = threads if threads else 0
    so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    return ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])


def predictions(out):
    out = np.asarray(out)
    if np.issubdtype(out.dtype, np.integer):
        return out.reshape(-1).astype(np.int64)
    flat = out.reshape(out.shape[0], -1)
    return flat.argmax(axis=1).astype(np.int64)


def evaluate(path, data_root, input_names, input_dtypes, fixed_batch, eval_batch, eval_threads,
             output_name, keep_outputs):
    sess = make_session(path, eval_threads)
    labels = LabelSource(data_root)
    correct = rows_total = 0
    preds_all, outs_all = [], []
    chunk = fixed_batch if fixed_batch else eval_batch
    t0 = time.perf_counter()
    for d in list_sets(data_root):  # one set in memory at a time
        feeds = load_set_inputs(d, input_names, input_dtypes)
        rows = next(iter(feeds.values())).shape[0]
        y = labels.get(d, rows)
        preds, outs = [], []
        for f, n in batch_chunks(feeds, rows, chunk):
            if fixed_batch:
                f = pad_rows(f, n, fixed_batch)
            o = sess.run([output_name], f)[0][:n]
            preds.append(predictions(o))
            if keep_outputs:
                outs.append(np.asarray(o, dtype=np.float64).reshape(n, -1))
        p = np.concatenate(preds)
        correct += int((p == y).sum())
        rows_total += rows
        preds_all.append(p)
        if keep_outputs:
            outs_all.append(np.concatenate(outs))
        del feeds
    return {
        "correct": correct, "rows": rows_total, "accuracy": correct / rows_total if rows_total else None,
        "eval_seconds": round(time.perf_counter() - t0, 3),
    }, np.concatenate(preds_all), (np.concatenate(outs_all) if keep_outputs else None)


def first_row_feed(data_root, input_names, input_dtypes, fixed_batch):
    d = list_sets(data_root)[0]
    feeds = load_set_inputs(d, input_names, input_dtypes)
    b = fixed_batch if fixed_batch else 1
    if fixed_batch:
        feeds = pad_rows({k: v[:1] for k, v in feeds.items()}, 1, fixed_batch)
    return {k: np.ascontiguousarray(v[:b]) for k, v in feeds.items()}, b


def latency(path, feed, output_name):
    sess = make_session(path, 1)  # 1 intra-op thread (and 1 inter-op thread), sequential
    for _ in range(LAT_WARMUP):
        sess.run([output_name], feed)
    ts = []
    for _ in range(LAT_RUNS):
        t = time.perf_counter_ns()
        sess.run([output_name], feed)
        ts.append((time.perf_counter_ns() - t) / 1e6)
    ts.sort()
    return {
        "median_ms": round(statistics.median(ts), 4),
        "p10_ms": round(ts[int(0.10 * len(ts))], 4),
        "p90_ms": round(ts[int(0.90 * len(ts))], 4),
        "min_ms": round(ts[0], 4),
        "mean_ms": round(statistics.fmean(ts), 4),
    }


class WarningCollector(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(f"{record.levelname}: {record.getMessage()}")


def jsonable_options(opts):
    out = {}
    for k, v in opts.items():
        if isinstance(v, dict):
            out[k] = jsonable_options(v)
        elif hasattr(v, "name") and not isinstance(v, (str, bytes)):
            out[k] = f"{type(v).__name__}.{v.name}"
        else:
            out[k] = v
    return out


ORT_DEFAULTS_RECORD = {
    "quant_format": "QuantFormat.QDQ", "per_channel": False, "reduce_range": False,
    "activation_type": "QuantType.QInt8", "weight_type": "QuantType.QInt8",
    "calibrate_method": "CalibrationMethod.MinMax", "extra_options": None,
    "op_types_to_quantize": None, "nodes_to_exclude": None,
}


# ----------------------------------------------------------------------------------------------
def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True)
    ap.add_argument("--calibration", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--variants", default=",".join(DEFAULT_VARIANTS),
                    help=f"comma list from {list(VARIANTS)} (default: {','.join(DEFAULT_VARIANTS)})")
    ap.add_argument("--preprocess", action="store_true",
                    help="run onnxruntime.quantization.shape_inference.quant_pre_process first (default off)")
    ap.add_argument("--output-name", default=None, help="model output to score (default: first output)")
    ap.add_argument("--eval-batch", type=int, default=0,
                    help="rows per evaluation run inside a set (0 = whole set as stored)")
    ap.add_argument("--eval-threads", type=int, default=0, help="intra-op threads for accuracy runs (0 = ORT default)")
    ap.add_argument("--no-latency", action="store_true")
    args = ap.parse_args()

    variants = [v.strip() for v in args.variants.split(",") if v.strip()]
    for v in variants:
        if v not in VARIANTS:
            raise SystemExit(f"unknown variant {v}; known: {list(VARIANTS)}")

    os.makedirs(args.out, exist_ok=True)
    work = os.path.join(args.out, "work")
    os.makedirs(work, exist_ok=True)
    # ORT writes '<model>-inferred.onnx' next to its input: always work on a copy inside OUT_DIR.
    src = os.path.join(work, "model_fp32.onnx")
    shutil.copyfile(args.model, src)

    root_logger = logging.getLogger()
    if not root_logger.handlers:
        logging.basicConfig(level=logging.WARNING, format="  [py-log] %(levelname)s %(message)s")

    fp32_model = onnx.load(src)
    fp32_opset = default_opset(fp32_model)
    probe = make_session(src, 1)
    inputs = probe.get_inputs()
    input_names = [i.name for i in inputs]
    input_dtypes = [ORT_TYPE_TO_NP.get(i.type) for i in inputs]
    b0 = inputs[0].shape[0] if inputs[0].shape else None
    fixed_batch = b0 if isinstance(b0, int) and b0 > 0 else 0
    outputs = probe.get_outputs()
    output_name = args.output_name or outputs[0].name
    out_meta = next(o for o in outputs if o.name == output_name)
    del probe
    per_row_out = 1
    for d in (out_meta.shape[1:] if out_meta.shape else []):
        per_row_out *= d if isinstance(d, int) else 1
    keep_outputs = per_row_out <= 4096

    results = {
        "tool": "ort_quantize_static.py (developer reference; ONNX Runtime Python quantize_static)",
        "date_utc": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "versions": {
            "onnxruntime": ort.__version__, "onnx": onnx.__version__, "numpy": np.__version__,
            "python": platform.python_version(),
        },
        "host": {"platform": platform.platform(), "cpu": cpu_name(), "cpu_count": os.cpu_count(),
                 "ort_providers_used": ["CPUExecutionProvider"]},
        "model": os.path.abspath(args.model),
        "model_inputs": [{"name": i.name, "type": i.type, "shape": [str(s) for s in i.shape]} for i in inputs],
        "scored_output": {"name": output_name, "type": out_meta.type, "shape": [str(s) for s in out_meta.shape]},
        "fixed_batch": fixed_batch or None,
        "calibration_dir": os.path.abspath(args.calibration),
        "eval_dir": os.path.abspath(args.data),
        "calibration_sets": [os.path.basename(p) for p in list_sets(args.calibration)],
        "eval_sets": len(list_sets(args.data)),
        "preprocess": {
            "ran": bool(args.preprocess),
            "note": "quant_pre_process (symbolic shape inference + ORT basic graph optimisation + ONNX shape "
                    "inference) is ORT's recommended step: quantize_static logs 'Please consider to run "
                    "pre-processing before quantization' when the model lacks its metadata, and the ORT "
                    "quantization docs/example run it. Kept OFF by default here (--preprocess turns it on).",
        },
        "measurement": {
            "accuracy": "top-1 = argmax over the scored output's non-batch elements (integer outputs used as "
                        "class ids); correct/rows over all eval sets, streamed one set at a time",
            "eval_threads": args.eval_threads or "ORT default",
            "eval_chunk_rows": fixed_batch or args.eval_batch or "whole set",
            "latency": f"CPUExecutionProvider, intra_op=1, inter_op=1, ORT_SEQUENTIAL, default graph "
                       f"optimisation (ORT_ENABLE_ALL); first row of the first eval set, batch "
                       f"{fixed_batch or 1}; {LAT_WARMUP} warm-up runs then median of {LAT_RUNS}; "
                       f"models measured one after another (not interleaved)",
        },
        "ort_defaults_not_overridden": ORT_DEFAULTS_RECORD,
        "variants": {},
    }

    lat_feed, lat_batch = first_row_feed(args.data, input_names, input_dtypes, fixed_batch)

    def measure(name, path, entry, ref_preds=None, ref_outs=None):
        entry.update(model_facts(path))
        entry["path"] = os.path.abspath(path)
        try:
            acc, preds, outs = evaluate(path, args.data, input_names, input_dtypes, fixed_batch,
                                        args.eval_batch, args.eval_threads, output_name, keep_outputs)
            entry.update(acc)
            if ref_preds is not None:
                entry["top1_agreement_with_fp32"] = int((preds == ref_preds).sum())
            if ref_outs is not None and outs is not None:
                diff = np.abs(outs - ref_outs)
                entry["output_abs_diff_vs_fp32"] = {"max": float(diff.max()), "mean": float(diff.mean())}
            if not args.no_latency:
                entry["latency_batch"] = lat_batch
                entry["latency"] = latency(path, lat_feed, output_name)
            return preds, outs
        except Exception as e:  # model written but ORT cannot load/run it
            entry["error"] = f"{type(e).__name__}: {e}"
            print(f"  !! {name}: {entry['error'][:400]}", file=sys.stderr)
            return None, None

    print(f"ORT {ort.__version__}, onnx {onnx.__version__}; model opset {fp32_opset}; inputs "
          f"{[(i.name, i.shape) for i in inputs]}; scoring '{output_name}'")
    fp32 = {"options": None, "input_model_opset": fp32_opset}
    results["variants"]["fp32"] = fp32
    ref_preds, ref_outs = measure("fp32", src, fp32)

    prepared = {}  # (min_opset, preprocess) -> (path, notes)

    def prepare(min_opset):
        key = min_opset
        if key in prepared:
            return prepared[key]
        notes = []
        path = src
        if min_opset and (fp32_opset or 0) < min_opset:
            m = onnx.version_converter.convert_version(onnx.load(src), min_opset)
            path = os.path.join(work, f"model_fp32_opset{min_opset}.onnx")
            onnx.save(m, path)
            notes.append(f"converted with onnx.version_converter from opset {fp32_opset} to {min_opset} "
                         f"before quantization (per-axis DequantizeLinear needs opset >= {PER_AXIS_MIN_OPSET})")
        if args.preprocess:
            from onnxruntime.quantization.shape_inference import quant_pre_process
            pp = os.path.join(work, os.path.basename(path).replace(".onnx", "_preprocessed.onnx"))
            quant_pre_process(path, pp)
            notes.append("quant_pre_process applied (default arguments)")
            path = pp
        prepared[key] = (path, notes)
        return prepared[key]

    for v in variants:
        opts = dict(VARIANTS[v])
        entry = {}
        results["variants"][v] = entry
        dynamic = opts.pop("__dynamic__", False)
        per_channel = bool(opts.get("per_channel", False))
        in_path, notes = prepare(PER_AXIS_MIN_OPSET if per_channel else 0)
        out_path = os.path.join(args.out, f"{v}.onnx")
        entry["api"] = "quantize_dynamic" if dynamic else "quantize_static"
        entry["options"] = jsonable_options(opts)
        entry["input_model_opset"] = default_opset(onnx.load(in_path))
        entry["notes"] = list(notes)
        collector = WarningCollector()
        root_logger.addHandler(collector)
        print(f"-- {v}: {entry['api']}({entry['options']})")
        t0 = time.perf_counter()
        try:
            if dynamic:
                quantize_dynamic(in_path, out_path, **opts)
            else:
                histogram = opts.get("calibrate_method", CalibrationMethod.MinMax) != CalibrationMethod.MinMax
                reader = SetReader(args.calibration, input_names, input_dtypes, fixed_batch,
                                   uniform_batches=histogram)
                quantize_static(in_path, out_path, reader, **opts)
                entry["calibration"] = reader.stats
                if "rebatched" in reader.stats:
                    entry["notes"].append(f"calibration fed in batches of {reader.chunk} rows (unequal set sizes)")
        except Exception as e:
            entry["error"] = f"{type(e).__name__}: {e}"
            entry["traceback"] = traceback.format_exc()
            print(f"  !! {v} quantization failed: {entry['error']}", file=sys.stderr)
            continue
        finally:
            root_logger.removeHandler(collector)
            entry["quantize_seconds"] = round(time.perf_counter() - t0, 3)
            entry["python_log_warnings"] = collector.messages
        if entry["input_model_opset"] != default_opset(onnx.load(out_path)):
            entry["notes"].append(f"ORT changed opset {entry['input_model_opset']} -> "
                                  f"{default_opset(onnx.load(out_path))} while quantizing")
        measure(v, out_path, entry, ref_preds, ref_outs)

    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump(results, f, indent=2)
    print_table(results)
    print(f"\nwrote {os.path.join(args.out, 'results.json')}")


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def print_table(results):
    hdr = f"{'variant':<18} {'top-1':>14} {'agree fp32':>11} {'bytes':>11} {'opset':>5} {'lat med ms':>10}  notes"
    print("\n" + hdr + "\n" + "-" * len(hdr))
    for name, e in results["variants"].items():
        if "correct" in e:
            acc = f"{e['correct']}/{e['rows']} {100 * e['accuracy']:.2f}%"
        else:
            acc = "ERROR"
        agree = str(e.get("top1_agreement_with_fp32", "")) if name != "fp32" else ""
        size = f"{e['file_bytes']:,}" if "file_bytes" in e else "-"
        lat = f"{e['latency']['median_ms']:.4f}" if "latency" in e else "-"
        notes = "; ".join(e.get("notes") or [])
        if "error" in e:
            notes = (notes + "; " if notes else "") + e["error"][:120]
        print(f"{name:<18} {acc:>14} {agree:>11} {size:>11} {str(e.get('opset', '-')):>5} {lat:>10}  {notes}")


if __name__ == "__main__":
    main()
