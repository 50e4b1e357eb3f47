#!/usr/bin/env python3
"""Train small PyTorch models on Fashion-MNIST, export them and compute reference outputs.

Run from examples/pytorch-model:

    /usr/bin/python3 python/make_models.py

Writes models/*.pt, models/fashion-cnn.onnx and reference/* (see reference/README.md,
which this script generates). Fully deterministic on a given machine / torch build.
"""

import gzip
import io
import os
import random
import struct
import sys
import time
import warnings

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

DATA_DIR = os.environ.get("FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist")
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)  # examples/pytorch-model
MODELS = os.path.join(ROOT, "models")
REF = os.path.join(ROOT, "reference")

N_REF = 1000  # committed inputs: first 1000 t10k images
N_FGSM = 200
N_GRAD = 64
MEAN = 0.2860
STD = 0.3530
EPS = np.float32(0.1)
PGD_STEPS = 10
PGD_ALPHA = np.float32(1.0 * 0.1 / PGD_STEPS)  # 0.01 as float32


def seed_everything(seed=0):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(2)


# --------------------------------------------------------------------------- IDX I/O
def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack(">I", data[:4])[0]
    ndim = magic & 0xFF
    dtype_code = (magic >> 8) & 0xFF
    assert magic >> 16 == 0 and dtype_code == 0x08, hex(magic)
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    arr = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim)
    assert arr.size == int(np.prod(dims)), (arr.size, dims)
    return arr.reshape(dims)


def write_idx(path, arr):
    arr = np.ascontiguousarray(arr, dtype=np.uint8)
    magic = 0x00000800 | arr.ndim  # 0x803 for images, 0x801 for labels
    header = struct.pack(">I", magic) + struct.pack(">" + "I" * arr.ndim, *arr.shape)
    buf = io.BytesIO()
    # mtime=0 and empty filename => byte-identical output on every run
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as g:
        g.write(header + arr.tobytes())
    with open(path, "wb") as f:
        f.write(buf.getvalue())


def to_float(images):
    """uint8 (N,28,28) -> float32 (N,1,28,28) in [0,1] as byte/255."""
    return torch.from_numpy(images.astype(np.float32) / np.float32(255.0)).unsqueeze(1)


def write_raw(name, tensor, dtype):
    arr = tensor.detach().cpu().numpy().astype(dtype)
    arr = arr.astype(arr.dtype.newbyteorder("<"))
    with open(os.path.join(REF, name), "wb") as f:
        f.write(arr.tobytes())
    return arr.shape


# --------------------------------------------------------------------------- models
def make_cnn():
    return nn.Sequential(
        nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(16 * 7 * 7, 64), nn.ReLU(),
        nn.Linear(64, 10),
    )


def make_bn_dropout():
    return nn.Sequential(
        nn.Conv2d(1, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Dropout(0.5),
        nn.Linear(8 * 14 * 14, 10),
    )


class Normalized(nn.Module):
    """Takes z = (x - MEAN) / STD and returns cnn(x), i.e. cnn(z * STD + MEAN)."""

    def __init__(self, cnn):
        super().__init__()
        self.cnn = cnn

    def forward(self, z):
        return self.cnn(z * STD + MEAN)


def train(model, x, y, epochs, batch=128, lr=1e-3, seed=0):
    gen = torch.Generator().manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    model.train()
    n = x.shape[0]
    for ep in range(epochs):
        perm = torch.randperm(n, generator=gen)
        total, t0 = 0.0, time.time()
        for i in range(0, n, batch):
            idx = perm[i:i + batch]
            opt.zero_grad()
            loss = F.cross_entropy(model(x[idx]), y[idx])
            loss.backward()
            opt.step()
            total += loss.item() * idx.numel()
        print(f"  epoch {ep + 1}/{epochs}: mean loss {total / n:.4f} ({time.time() - t0:.1f}s)")
    model.eval()
    return model


@torch.no_grad()
def predict(model, x, batch=1000):
    return torch.cat([model(x[i:i + batch]) for i in range(0, x.shape[0], batch)])


def input_grad(model, x, y):
    x = x.clone().requires_grad_(True)
    loss = F.cross_entropy(model(x), y, reduction="sum")
    (g,) = torch.autograd.grad(loss, x)
    return g


def fgsm(model, x, y, eps):
    g = input_grad(model, x, y)
    return torch.clamp(x + torch.tensor(eps) * torch.sign(g), 0.0, 1.0)


def pgd(model, x, y, eps, alpha, steps):
    eps_t = torch.tensor(eps)
    alpha_t = torch.tensor(alpha)
    xt = x.clone()
    for _ in range(steps):
        g = input_grad(model, xt, y)
        moved = xt + alpha_t * torch.sign(g)
        delta = torch.clamp(moved - x, -eps_t, eps_t)
        xt = torch.clamp(delta + x, 0.0, 1.0).detach()
    return xt


# --------------------------------------------------------------------------- main
def main():
    t_start = time.time()
    seed_everything(0)
    os.makedirs(MODELS, exist_ok=True)
    os.makedirs(REF, exist_ok=True)
    print(f"torch {torch.__version__}, numpy {np.__version__}, python {sys.version.split()[0]}")

    train_img = read_idx(os.path.join(DATA_DIR, "train-images-idx3-ubyte.gz"))
    train_lbl = read_idx(os.path.join(DATA_DIR, "train-labels-idx1-ubyte.gz"))
    test_img = read_idx(os.path.join(DATA_DIR, "t10k-images-idx3-ubyte.gz"))
    test_lbl = read_idx(os.path.join(DATA_DIR, "t10k-labels-idx1-ubyte.gz"))
    xtr, ytr = to_float(train_img), torch.from_numpy(train_lbl.astype(np.int64))
    xte, yte = to_float(test_img), torch.from_numpy(test_lbl.astype(np.int64))

    # ---- committed inputs: first 1000 test images / labels, as IDX gz
    write_idx(os.path.join(REF, "inputs-images-idx3-ubyte.gz"), test_img[:N_REF])
    write_idx(os.path.join(REF, "inputs-labels-idx1-ubyte.gz"), test_lbl[:N_REF])
    ref_img = read_idx(os.path.join(REF, "inputs-images-idx3-ubyte.gz"))
    ref_lbl = read_idx(os.path.join(REF, "inputs-labels-idx1-ubyte.gz"))
    assert np.array_equal(ref_img, test_img[:N_REF]) and np.array_equal(ref_lbl, test_lbl[:N_REF])
    x = to_float(ref_img)
    y = torch.from_numpy(ref_lbl.astype(np.int64))

    # ---- 1. fashion-cnn
    print("training fashion-cnn (60k images, 2 epochs)")
    torch.manual_seed(0)
    cnn = train(make_cnn(), xtr, ytr, epochs=2, seed=0)
    full_acc = (predict(cnn, xte).argmax(1) == yte).float().mean().item()
    print(f"fashion-cnn full t10k accuracy: {full_acc:.4f}")

    example = torch.zeros(1, 1, 28, 28)
    with torch.no_grad():
        traced = torch.jit.trace(cnn, example)
    traced.save(os.path.join(MODELS, "fashion-cnn.pt"))

    # ---- 2. ONNX
    onnx_path = os.path.join(MODELS, "fashion-cnn.onnx")
    with warnings.catch_warnings(record=True) as onnx_warnings:
        warnings.simplefilter("always")
        torch.onnx.export(
            cnn, example, onnx_path,
            export_params=True, opset_version=13, do_constant_folding=True,
            input_names=["input"], output_names=["logits"],
            dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}},
        )
    for w in onnx_warnings:
        print(f"  onnx export warning: {w.category.__name__}: {w.message}")
    import onnx
    onnx_model = onnx.load(onnx_path)
    onnx.checker.check_model(onnx_model)
    onnx_ops = sorted({n.op_type for n in onnx_model.graph.node})
    onnx_opset = [o.version for o in onnx_model.opset_import if o.domain in ("", "ai.onnx")][0]
    print(f"onnx: checker OK, opset {onnx_opset}, ops {onnx_ops}")

    # ---- 3. softmax variant
    with torch.no_grad():
        traced_sm = torch.jit.trace(nn.Sequential(cnn, nn.Softmax(dim=1)).eval(), example)
    traced_sm.save(os.path.join(MODELS, "fashion-cnn-softmax.pt"))

    # ---- 4. normalised-input variant
    with torch.no_grad():
        traced_norm = torch.jit.trace(Normalized(cnn).eval(), example)
    traced_norm.save(os.path.join(MODELS, "fashion-cnn-normalized.pt"))

    # ---- 5. bn-dropout (scripted, so train/eval mode is not baked in)
    print("training bn-dropout (first 10k images, 1 epoch)")
    torch.manual_seed(0)
    bn = train(make_bn_dropout(), xtr[:10000], ytr[:10000], epochs=1, seed=1)
    bn.eval()
    scripted = torch.jit.script(bn)
    scripted.save(os.path.join(MODELS, "bn-dropout.pt"))

    # =========================================================== references from saved files
    m = torch.jit.load(os.path.join(MODELS, "fashion-cnn.pt"))
    m.eval()
    logits = predict(m, x)
    with torch.no_grad():
        eager_diff = (logits - cnn(x)).abs().max().item()
    shapes = {}
    shapes["cnn-logits.f32"] = write_raw("cnn-logits.f32", logits, np.float32)
    clean_correct = logits.argmax(1) == y
    clean_acc = clean_correct.float().mean().item()

    # ONNX logits only if onnxruntime is available
    onnx_status = None
    try:
        import onnxruntime as ort  # noqa: F401
        sess = ort.InferenceSession(onnx_path, providers=["CPUExecutionProvider"])
        onnx_logits = torch.from_numpy(sess.run(["logits"], {"input": x.numpy()})[0])
        shapes["onnx-logits.f32"] = write_raw("onnx-logits.f32", onnx_logits, np.float32)
        onnx_diff = (onnx_logits - logits).abs().max().item()
        onnx_status = f"written (onnxruntime {ort.__version__}); max |onnx - torchscript| = {onnx_diff:.3g}"
    except ImportError:
        stale = os.path.join(REF, "onnx-logits.f32")
        if os.path.exists(stale):
            os.remove(stale)
        onnx_status = "NOT written: onnxruntime is not importable in this environment"
    print(f"onnx-logits.f32: {onnx_status}")

    # FGSM on first 200
    adv = fgsm(m, x[:N_FGSM], y[:N_FGSM], EPS)
    shapes["cnn-fgsm-eps0.1.f32"] = write_raw("cnn-fgsm-eps0.1.f32", adv, np.float32)
    fgsm_acc = (predict(m, adv).argmax(1) == y[:N_FGSM]).float().mean().item()
    assert (adv - x[:N_FGSM]).abs().max().item() <= float(EPS) + 1e-6

    # PGD-10 on all 1000
    adv_pgd = torch.cat([pgd(m, x[i:i + 250], y[i:i + 250], EPS, PGD_ALPHA, PGD_STEPS)
                         for i in range(0, N_REF, 250)])
    assert (adv_pgd - x).abs().max().item() <= float(EPS) + 1e-6
    pgd_pred = predict(m, adv_pgd).argmax(1)
    pgd_correct = (pgd_pred == y).int()
    pgd_acc = pgd_correct.float().mean().item()
    shapes["cnn-pgd10-eps0.1-correct.i32"] = write_raw("cnn-pgd10-eps0.1-correct.i32", pgd_correct, np.int32)
    shapes["cnn-pgd10-eps0.1-predictions.i32"] = write_raw("cnn-pgd10-eps0.1-predictions.i32", pgd_pred, np.int32)

    # softmax / normalized variants, from the saved files
    msm = torch.jit.load(os.path.join(MODELS, "fashion-cnn-softmax.pt"))
    msm.eval()
    softmax_diff = (predict(msm, x) - torch.softmax(logits, dim=1)).abs().max().item()
    mnorm = torch.jit.load(os.path.join(MODELS, "fashion-cnn-normalized.pt"))
    mnorm.eval()
    z = (x - MEAN) / STD
    norm_diff = (predict(mnorm, z) - logits).abs().max().item()
    norm_argmax_equal = bool((predict(mnorm, z).argmax(1) == logits.argmax(1)).all())

    # bn-dropout, from the saved file, eval mode
    mbn = torch.jit.load(os.path.join(MODELS, "bn-dropout.pt"))
    mbn.eval()
    bn_mod = dict(mbn.named_buffers())
    rm0 = bn_mod["1.running_mean"].clone()
    rv0 = bn_mod["1.running_var"].clone()
    nbt0 = bn_mod["1.num_batches_tracked"].clone()
    bn_logits = predict(mbn, x)
    bn_logits2 = predict(mbn, x)
    assert torch.equal(bn_logits, bn_logits2), "eval mode must be deterministic (dropout off)"
    shapes["bn-dropout-logits.f32"] = write_raw("bn-dropout-logits.f32", bn_logits, np.float32)
    bn_acc = (bn_logits.argmax(1) == y).float().mean().item()
    bn_grad = input_grad(mbn, x[:N_GRAD], y[:N_GRAD])
    shapes["bn-dropout-gradients.f32"] = write_raw("bn-dropout-gradients.f32", bn_grad, np.float32)
    bn_after = dict(mbn.named_buffers())
    assert torch.equal(bn_after["1.running_mean"], rm0), "running_mean changed"
    assert torch.equal(bn_after["1.running_var"], rv0), "running_var changed"
    assert torch.equal(bn_after["1.num_batches_tracked"], nbt0), "num_batches_tracked changed"
    assert torch.equal(bn_after["1.running_mean"], bn[1].running_mean)
    # sanity: the running stats are far from the defaults (0 / 1)
    print("bn running_mean " + " ".join(f"{v:.3f}" for v in rm0.tolist()))
    print("bn running_var  " + " ".join(f"{v:.4f}" for v in rv0.tolist()))
    # sanity: train mode differs (so eval mode really matters)
    mbn.train()
    with torch.no_grad():
        torch.manual_seed(123)
        train_mode_diff = (mbn(x[:100]) - bn_logits[:100]).abs().max().item()
    mbn.eval()  # (the train-mode probe updated mbn's buffers in memory only; nothing is saved again)

    # =========================================================== summary
    print()
    print(f"clean accuracy fashion-cnn (1000 inputs):        {clean_acc:.4f}")
    print(f"FGSM eps=0.1 robust accuracy (first 200):        {fgsm_acc:.4f}")
    print(f"PGD-10 eps=0.1 robust accuracy (1000):           {pgd_acc:.4f}")
    print(f"max |softmax model - softmax(logits)|:           {softmax_diff:.3g}")
    print(f"max |normalized model(z) - cnn(x)|:              {norm_diff:.3g} (argmax equal: {norm_argmax_equal})")
    print(f"max |loaded traced cnn - eager cnn|:             {eager_diff:.3g}")
    print(f"bn-dropout eval accuracy (1000 inputs):          {bn_acc:.4f}")
    print(f"bn-dropout max |train-mode - eval-mode| logits:  {train_mode_diff:.3g}")
    print(f"fashion-cnn full t10k accuracy (10000):          {full_acc:.4f}")

    write_reference_readme(shapes, dict(
        clean_acc=clean_acc, fgsm_acc=fgsm_acc, pgd_acc=pgd_acc, bn_acc=bn_acc,
        full_acc=full_acc, softmax_diff=softmax_diff, norm_diff=norm_diff,
        onnx_status=onnx_status, onnx_opset=onnx_opset, onnx_ops=onnx_ops,
        n_fgsm_correct=int(round(fgsm_acc * N_FGSM)), n_pgd_correct=int(pgd_correct.sum()),
        n_clean_correct=int(clean_correct.sum()),
    ))
    print(f"done in {time.time() - t_start:.1f}s")


def write_reference_readme(shapes, r):
    def shp(name):
        dims = shapes[name]
        return "(" + ",".join(str(d) for d in dims) + ("," if len(dims) == 1 else "") + ")"

    lines = [
        "# Reference outputs (generated by `python/make_models.py` — do not edit)",
        "",
        f"Generated with torch {torch.__version__}, numpy {np.__version__}, on CPU.",
        "",
        "All `.f32` files are raw little-endian float32, all `.i32` files raw little-endian int32,",
        "row-major (C order), no header. Every reference is computed on the committed inputs below,",
        "converted to float32 as `byte / 255` with shape (N,1,28,28).",
        "",
        "| file | shape | dtype | how it was computed |",
        "|---|---|---|---|",
        "| `inputs-images-idx3-ubyte.gz` | (1000,28,28) | uint8 IDX (magic 0x00000803, big-endian dims, gzip) | "
        "first 1000 images of Fashion-MNIST `t10k-images-idx3-ubyte.gz`, unchanged bytes |",
        "| `inputs-labels-idx1-ubyte.gz` | (1000,) | uint8 IDX (magic 0x00000801, gzip) | "
        "first 1000 labels of `t10k-labels-idx1-ubyte.gz` |",
        f"| `cnn-logits.f32` | {shp('cnn-logits.f32')} | float32 | logits of `models/fashion-cnn.pt` "
        "loaded with `torch.jit.load`, `.eval()`, under `torch.no_grad()` |",
    ]
    if "onnx-logits.f32" in shapes:
        lines.append(f"| `onnx-logits.f32` | {shp('onnx-logits.f32')} | float32 | `models/fashion-cnn.onnx` run "
                     "with onnxruntime (CPUExecutionProvider) |")
    lines += [
        f"| `cnn-fgsm-eps0.1.f32` | {shp('cnn-fgsm-eps0.1.f32')} | float32 | FGSM on the first 200 inputs with "
        "the loaded traced `fashion-cnn.pt` in eval mode: `loss = F.cross_entropy(logits, labels, reduction='sum')`, "
        "`g = d loss / d x`, `adv = clamp(x + 0.1f * sign(g), 0, 1)` (all float32) |",
        f"| `cnn-pgd10-eps0.1-correct.i32` | {shp('cnn-pgd10-eps0.1-correct.i32')} | int32 | 1 if "
        "`argmax(fashion-cnn(x_adv)) == label` after PGD-10 (definition below), else 0 |",
        f"| `cnn-pgd10-eps0.1-predictions.i32` | {shp('cnn-pgd10-eps0.1-predictions.i32')} | int32 | "
        "`argmax(fashion-cnn(x_adv))` after PGD-10 |",
        f"| `bn-dropout-logits.f32` | {shp('bn-dropout-logits.f32')} | float32 | logits of `models/bn-dropout.pt` "
        "loaded with `torch.jit.load`, then `.eval()` (dropout off, BatchNorm uses running statistics) |",
        f"| `bn-dropout-gradients.f32` | {shp('bn-dropout-gradients.f32')} | float32 | eval-mode input gradient "
        "of `F.cross_entropy(logits, labels, reduction='sum')` w.r.t. x for the first 64 inputs, "
        "`bn-dropout.pt` after `.eval()`; the script asserts running_mean/running_var/num_batches_tracked "
        "are unchanged afterwards |",
        "",
    ]
    if "onnx-logits.f32" not in shapes:
        lines += [
            "`onnx-logits.f32` is **not** present: onnxruntime was not importable when this was generated "
            "(Debian ships no onnxruntime). Compare the ONNX model against `cnn-logits.f32` instead.",
            "",
        ]
    lines += [
        "## PGD-10 definition (L-inf, no random start)",
        "",
        "eps = 0.1f, steps = 10, alpha = 1.0 * eps / steps = 0.01f (float32). `x_0 = x`; repeat 10 times:",
        "",
        "```",
        "g        = grad of F.cross_entropy(model(x_t), y, reduction='sum') w.r.t. x_t",
        "moved    = x_t + alpha * sign(g)",
        "delta    = clamp(moved - x, -eps, eps)",
        "x_{t+1}  = clamp(delta + x, 0, 1)",
        "```",
        "",
        "The model is the loaded traced `models/fashion-cnn.pt` in eval mode; the attack was run in",
        "batches of 250 (batch size does not change the result: the loss is a sum over samples).",
        "",
        "## Measured numbers",
        "",
        f"- clean accuracy of fashion-cnn on the 1000 inputs: {r['clean_acc']:.4f} ({r['n_clean_correct']}/1000)",
        f"- fashion-cnn accuracy on the full 10k test set: {r['full_acc']:.4f}",
        f"- FGSM eps=0.1 robust accuracy on the first 200: {r['fgsm_acc']:.4f} ({r['n_fgsm_correct']}/200)",
        f"- **PGD-10 eps=0.1 robust accuracy = mean(cnn-pgd10-eps0.1-correct) = {r['pgd_acc']:.4f}** "
        f"({r['n_pgd_correct']}/1000)",
        f"- bn-dropout eval accuracy on the 1000 inputs: {r['bn_acc']:.4f}",
        f"- max |fashion-cnn-softmax(x) - softmax(cnn-logits)|: {r['softmax_diff']:.3g}",
        f"- max |fashion-cnn-normalized((x - 0.2860) / 0.3530) - cnn-logits|: {r['norm_diff']:.3g}",
        f"- ONNX: opset {r['onnx_opset']}, ops {', '.join(r['onnx_ops'])}; onnx-logits.f32 {r['onnx_status']}",
        "",
    ]
    with open(os.path.join(REF, "README.md"), "w") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    # Re-exec once with a pinned environment so the output files are byte-identical across runs
    # and checkouts:
    # - torch.jit.script writes module constants in Python set order, which depends on
    #   string-hash randomisation -> PYTHONHASHSEED=0;
    # - traced .pt files embed the tracing script's file name and line numbers as debug info ->
    #   run from examples/pytorch-model with file name "python/make_models.py" so no absolute path
    #   is stored.
    if os.environ.get("_MAKE_MODELS_PINNED") != "1":
        env = dict(os.environ, PYTHONHASHSEED="0", _MAKE_MODELS_PINNED="1")
        os.chdir(ROOT)
        rel = os.path.relpath(os.path.abspath(__file__), ROOT)
        # (python 3.9+ makes a script path absolute, runpy.run_path keeps it as given)
        boot = f"import runpy, sys; sys.argv = {[rel] + sys.argv[1:]!r}; runpy.run_path({rel!r}, run_name='__main__')"
        os.execve(sys.executable, [sys.executable, "-c", boot], env)
    main()
