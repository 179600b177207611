"""PyTorch side of bench/lockstep: the peers a researcher would write for many small networks.

    /usr/bin/python3 bench/torch_lockstep.py ROUND OUT.tsv [FASHION_DIR]

For each shape of LockstepBench (one hidden ReLU layer, MSE, SGD, float64, one thread) it times
  - "torch loop": one model at a time, the plain training loop (autograd, in-place update);
  - "torch bmm K=k": k models stacked as [k, ...] tensors, one torch.bmm per layer and one
    autograd call per step for all k, each model its own learning rate and its own minibatch
    (gathered in one indexing operation), the skilled user's lockstep;
and appends "shape, variant, round, microseconds per model-step" rows to OUT.tsv. Data: the
teacher shapes use inputs on the unit sphere and relu(x_1) targets; the Fashion-MNIST shapes
the first 1000 real images (pixels / 255) and one-hot labels when FASHION_DIR holds the files.
"""
import gzip
import os
import sys
import time

import numpy as np
import torch

torch.set_num_threads(1)
torch.set_num_interop_threads(1)
torch.set_default_dtype(torch.float64)


def teacher(n, d, seed=1):
    g = np.random.default_rng(seed)
    x = g.normal(size=(n, d))
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    return torch.from_numpy(x), torch.from_numpy(np.maximum(x[:, :1], 0))


def fashion(directory, n=1000):
    with gzip.open(os.path.join(directory, "train-images-idx3-ubyte.gz")) as f:
        x = np.frombuffer(f.read(), np.uint8, offset=16)[: n * 784].reshape(n, 784) / 255.0
    with gzip.open(os.path.join(directory, "train-labels-idx1-ubyte.gz")) as f:
        labels = np.frombuffer(f.read(), np.uint8, offset=8)[:n]
    y = np.zeros((n, 10))
    y[np.arange(n), labels] = 1
    return torch.from_numpy(np.ascontiguousarray(x)), torch.from_numpy(y)


def init(k, d, w, out, seed):
    g = torch.Generator().manual_seed(seed)
    u = lambda shape, fan: (torch.rand(shape, generator=g) * 2 - 1) / fan ** 0.5
    return [u((k, d, w), d).requires_grad_(), u((k, 1, w), d).requires_grad_(),
            u((k, w, out), w).requires_grad_(), u((k, 1, out), w).requires_grad_()]


def loop(x, y, w, b, steps):
    """One model: microseconds per step."""
    n, d = x.shape
    params = [p[0].detach().clone().requires_grad_() for p in init(1, d, w, y.shape[1], 7)]
    w1, b1, w2, b2 = params
    g = torch.Generator().manual_seed(3)
    perm = torch.randperm(n, generator=g)
    t0 = time.perf_counter()
    for s in range(steps):
        if b < n:
            start = (s * b) % (n - n % b)
            if start == 0:
                perm = torch.randperm(n, generator=g)
            idx = perm[start:start + b]
            xb, yb = x[idx], y[idx]
        else:
            xb, yb = x, y
        f = torch.relu(xb @ w1 + b1) @ w2 + b2
        loss = ((f - yb) ** 2).mean()
        for p in params:
            p.grad = None
        loss.backward()
        with torch.no_grad():
            for p in params:
                p.sub_(0.01 * p.grad)
    return (time.perf_counter() - t0) / steps * 1e6


def bmm(x, y, w, b, steps, k):
    """k models in lockstep: microseconds per model-step."""
    n, d = x.shape
    params = init(k, d, w, y.shape[1], 7)
    w1, b1, w2, b2 = params
    lr = torch.linspace(0.005, 0.02, k).reshape(k, 1, 1)
    g = torch.Generator().manual_seed(3)
    t0 = time.perf_counter()
    for s in range(steps):
        if b < n:
            idx = torch.stack([torch.randperm(n, generator=g)[:b] for _ in range(k)]) if s % max(1, n // b) == 0 else idx.roll(1, 1)
            xb, yb = x[idx], y[idx]          # [k, b, d], each model its own minibatch
        else:
            xb, yb = x.expand(k, n, d), y.expand(k, n, y.shape[1])
        f = torch.bmm(torch.relu(torch.bmm(xb, w1) + b1), w2) + b2
        loss = ((f - yb) ** 2).mean(dim=(1, 2)).sum()
        for p in params:
            p.grad = None
        loss.backward()
        with torch.no_grad():
            for p in params:
                p.sub_(lr * p.grad)
    return (time.perf_counter() - t0) / steps / k * 1e6


def blas_info():
    import ctypes
    libs = sorted({line.split()[-1] for line in open("/proc/self/maps") if "blas" in line and ".so" in line.split()[-1]})
    for lib in libs:
        try:
            handle = ctypes.CDLL(lib)
            handle.openblas_get_corename.restype = ctypes.c_char_p
            return "%s, kernel %s" % (lib, handle.openblas_get_corename().decode())
        except (OSError, AttributeError):
            continue
    return ",".join(libs) or "no BLAS library mapped"


def main():
    rnd, out = int(sys.argv[1]), sys.argv[2]
    torch.ones(2, 2) @ torch.ones(2, 2)  # loads the BLAS
    print("round %d; torch %s, %s, threads %d" % (rnd, torch.__version__, blas_info(), torch.get_num_threads()), flush=True)
    fdir = sys.argv[3] if len(sys.argv) > 3 else "/usr/share/datasets/fashion-mnist"
    xt, yt = teacher(100, 10)
    shapes = [("teacher 10-20-1 B=10", xt, yt, 20, 10, 400), ("teacher 10-50-1 B=10", xt, yt, 50, 10, 400),
              ("teacher 10-50-1 B=100 (GD)", xt, yt, 50, 100, 200)]
    if os.path.isdir(fdir):
        xf, yf = fashion(fdir)
        shapes += [("fashion 784-32-10 B=50", xf, yf, 32, 50, 400), ("fashion 784-32-10 GD n=1000", xf, yf, 32, 1000, 20)]
    with open(out, "a") as f:
        for name, x, y, w, b, steps in shapes:
            loop(x, y, w, b, max(2, steps // 10))  # warm-up
            f.write("%s\ttorch loop\t%d\t%f\n" % (name, rnd, loop(x, y, w, b, steps)))
            for k in (4, 16, 64):
                bmm(x, y, w, b, max(2, steps // 10), k)
                f.write("%s\ttorch bmm K=%d\t%d\t%f\n" % (name, k, rnd, bmm(x, y, w, b, max(2, steps // 4), k)))
            f.flush()


if __name__ == "__main__":
    main()
