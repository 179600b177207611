"""PyTorch side of bench/torch-compare: the same 784-100-10 ReLU network, MSE loss and steps as
the engine, driven line by line over stdin by TorchCompareBench so that the two take turns.

    python3 bench/torch_step.py DIR      (DIR holds X.npy, Y.npy, W1.npy, b1.npy, W2.npy, b2.npy)

Commands, one per line, each answered with one line:
  info                          -> torch version, BLAS library, its kernel and thread counts
  gd DTYPE STEPS LR             -> wall ms and CPU ms (this thread) per full-batch GD step, and
                                   the loss before the last step
  sgd DTYPE STEPS LR B SEED     -> the same per SGD step on B-row minibatches (a fresh permutation each
                                   epoch, consecutive batches, the last n mod B samples sit out)
  quit
Every gd/sgd command starts from the initial parameters. MSE is (1/(n k)) sum ||f - y||^2
(docs/science.md), which is torch's mse_loss with reduction 'mean'. W is stored [in, out]
as in the engine; nn.Linear keeps [out, in], so it receives W transposed.
"""
import ctypes
import os
import sys
import time

import numpy as np
import torch

torch.set_num_threads(1)
torch.set_num_interop_threads(1)


def blas_info():
    libs = sorted({line.split()[-1] for line in open("/proc/self/maps")
                   if "blas" in line and ".so" in line.split()[-1]})
    core = "unknown"
    for lib in libs:
        try:
            handle = ctypes.CDLL(lib)
            handle.openblas_get_corename.restype = ctypes.c_char_p
            core = handle.openblas_get_corename().decode()
            threads = handle.openblas_get_num_threads()
            return "%s kernel=%s openblas_threads=%d" % (lib, core, threads)
        except (OSError, AttributeError):
            continue
    return "%s kernel=%s (not OpenBLAS?)" % (",".join(libs) or "no BLAS library mapped", core)


class Net:
    def __init__(self, directory, dtype):
        load = lambda name: torch.from_numpy(np.load(os.path.join(directory, name))).to(dtype)
        self.x = load("X.npy").contiguous()
        self.y = load("Y.npy").contiguous()
        self.model = torch.nn.Sequential(torch.nn.Linear(self.x.shape[1], 100), torch.nn.ReLU(),
                                         torch.nn.Linear(100, self.y.shape[1])).to(dtype)
        self.initial = [load("W1.npy").t().contiguous(), load("b1.npy"), load("W2.npy").t().contiguous(), load("b2.npy")]

    def reset(self):
        with torch.no_grad():
            for p, v in zip(self.model.parameters(), self.initial):
                p.copy_(v)

    def step(self, opt, x, y):
        opt.zero_grad(set_to_none=True)
        loss = torch.nn.functional.mse_loss(self.model(x), y)
        loss.backward()
        opt.step()
        return loss


def run(nets, words):
    cmd, dtype = words[0], {"float64": torch.float64, "float32": torch.float32}[words[1]]
    net = nets.setdefault(dtype, Net(sys.argv[1], dtype))
    net.reset()
    steps, lr = int(words[2]), float(words[3])
    opt = torch.optim.SGD(net.model.parameters(), lr=lr)
    n = net.x.shape[0]
    loss = None
    if cmd == "gd":
        c0 = time.thread_time()
        t0 = time.perf_counter()
        for _ in range(steps):
            loss = net.step(opt, net.x, net.y)
        loss = float(loss)  # waits for nothing on CPU; outside the timing would change nothing
        elapsed = time.perf_counter() - t0
        cpu = time.thread_time() - c0
    else:
        b, seed = int(words[4]), int(words[5])
        g = torch.Generator().manual_seed(seed)
        per_epoch = n // b
        c0 = time.thread_time()
        t0 = time.perf_counter()
        order = None
        for s in range(steps):
            k = s % per_epoch
            if k == 0:
                order = torch.randperm(n, generator=g)
            idx = order[k * b:(k + 1) * b]
            loss = net.step(opt, net.x.index_select(0, idx), net.y.index_select(0, idx))
        loss = float(loss)
        elapsed = time.perf_counter() - t0
        cpu = time.thread_time() - c0
    return "%.6f %.6f %.17g" % (elapsed * 1e3 / steps, cpu * 1e3 / steps, loss)


def main():
    nets = {}
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        if words[0] == "quit":
            break
        if words[0] == "info":
            out = "torch %s threads=%d %s" % (torch.__version__, torch.get_num_threads(), blas_info())
        else:
            out = run(nets, words)
        sys.stdout.write(out + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
