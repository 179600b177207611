"""PyTorch side of bench/cnn-compare: the engine's cnn family (Cnn) rebuilt from nn.Conv2d, ReLU,
MaxPool2d/AvgPool2d, Flatten and nn.Linear, float64, one thread, driven line by line over stdin by
CnnStepBench so that the two take turns.

    python3 bench/torch_cnn_step.py DIR

DIR holds X.npy [n, C*H*W] (rows are images in (c, y, x) order), Y.npy [n, k] one-hot, V.npy (a
direction in the engine's parameter layout), and the engine's exported arrays K1.npy, k1.npy, ...,
W1.npy, b1.npy, ... (K as [out, in, kernel, kernel], W as [in, out]: nn.Linear keeps [out, in], so
it receives W transposed), and net.txt: "C H W blocks channels kernel pool depth width outputs".
The loss is the engine's xent: the mean over samples of -sum_k y_k log softmax(f)_k, which for
one-hot y is cross_entropy with class indices and reduction 'mean'.

Commands, one per line, each answered with one line:
  info                     -> torch version, BLAS library, its kernel and thread counts
  check FILE               -> the loss at the initial parameters; writes the gradient and H v
                              (float64, raw little-endian, the engine's layout) to FILE and FILE.hv
  gd STEPS LR              -> wall ms and CPU ms (this thread) per full-batch GD step (forward, loss,
                              backward, SGD update), and the loss before the last step
  hvp STEPS                -> wall ms and CPU ms per H v by double backprop (grad with
                              create_graph=True, then the grad of g.v), and |H v|
  sgd STEPS LR B SEED      -> as gd on B-row minibatches (a fresh permutation each epoch,
                              consecutive batches, the last n mod B samples sit out)
  quit
Every gd/sgd command starts from the initial parameters.
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
    def __init__(self, directory):
        load = lambda name: torch.from_numpy(np.load(os.path.join(directory, name))).to(torch.float64)
        with open(os.path.join(directory, "net.txt")) as f:
            c, h, w, blocks, channels, kernel, pool, depth, width, outputs = f.read().split()
        c, h, w, blocks, channels, kernel = int(c), int(h), int(w), int(blocks), int(channels), int(kernel)
        depth, width, outputs = int(depth), int(width), int(outputs)
        self.x = load("X.npy").reshape(-1, c, h, w).contiguous()
        self.labels = load("Y.npy").argmax(dim=1)
        layers = []
        initial = []
        cin = c
        for i in range(blocks):
            cout = channels << i
            layers += [torch.nn.Conv2d(cin, cout, kernel, stride=1, padding=kernel // 2), torch.nn.ReLU()]
            if pool == "max":
                layers.append(torch.nn.MaxPool2d(2, 2))
                h, w = h // 2, w // 2
            elif pool == "avg":
                layers.append(torch.nn.AvgPool2d(2, 2))
                h, w = h // 2, w // 2
            initial += [load("K%d.npy" % (i + 1)), load("k%d.npy" % (i + 1))]
            cin = cout
        layers.append(torch.nn.Flatten())
        fan = cin * h * w
        for l in range(depth + 1):
            out = outputs if l == depth else width
            layers.append(torch.nn.Linear(fan, out))
            if l < depth:
                layers.append(torch.nn.ReLU())
            initial += [load("W%d.npy" % (l + 1)).t().contiguous(), load("b%d.npy" % (l + 1))]
            fan = out
        self.model = torch.nn.Sequential(*layers).to(torch.float64)
        self.initial = initial
        params = list(self.model.parameters())
        if len(params) != len(initial) or any(p.shape != v.shape for p, v in zip(params, initial)):
            raise SystemExit("torch_cnn_step: the exported arrays do not fit the network: %s against %s"
                             % ([tuple(p.shape) for p in params], [tuple(v.shape) for v in initial]))
        self.v = self.unflatten(load("V.npy"))

    def reset(self):
        with torch.no_grad():
            for p, v in zip(self.model.parameters(), self.initial):
                p.copy_(v)

    def loss(self, x, labels):
        return torch.nn.functional.cross_entropy(self.model(x), labels)

    def step(self, opt, x, labels):
        opt.zero_grad(set_to_none=True)
        loss = self.loss(x, labels)
        loss.backward()
        opt.step()
        return loss

    def hvp(self):
        params = list(self.model.parameters())
        g = torch.autograd.grad(self.loss(self.x, self.labels), params, create_graph=True)
        dot = sum((gi * vi).sum() for gi, vi in zip(g, self.v))
        return torch.autograd.grad(dot, params)

    def unflatten(self, flat):
        """The engine's layout (K, k per block, then W [in, out], b) as tensors shaped like the parameters."""
        out, at = [], 0
        for p in self.model.parameters():
            linear_weight = p.dim() == 2
            shape = (p.shape[1], p.shape[0]) if linear_weight else tuple(p.shape)
            size = p.numel()
            t = flat[at:at + size].reshape(shape)
            out.append(t.t().contiguous() if linear_weight else t.contiguous())
            at += size
        return out

    @staticmethod
    def flatten(tensors):
        """Parameter-shaped tensors in the engine's layout (Linear weights transposed back to [in, out])."""
        return torch.cat([(t.t() if t.dim() == 2 else t).reshape(-1) for t in tensors])


def timed(fn, steps):
    c0 = time.thread_time()
    t0 = time.perf_counter()
    result = None
    for _ in range(steps):
        result = fn()
    result = float(result)
    elapsed = time.perf_counter() - t0
    cpu = time.thread_time() - c0
    return "%.6f %.6f %.17g" % (elapsed * 1e3 / steps, cpu * 1e3 / steps, result)


def run(net, words):
    cmd = words[0]
    net.reset()
    if cmd == "check":
        loss = net.loss(net.x, net.labels)
        grad = torch.autograd.grad(loss, list(net.model.parameters()))
        net.flatten(grad).numpy().astype("<f8").tofile(words[1])
        net.flatten(net.hvp()).numpy().astype("<f8").tofile(words[1] + ".hv")
        return "%.17g" % float(loss)
    if cmd == "hvp":
        return timed(lambda: net.flatten(net.hvp()).norm(), int(words[1]))
    steps, lr = int(words[1]), float(words[2])
    opt = torch.optim.SGD(net.model.parameters(), lr=lr)
    if cmd == "gd":
        return timed(lambda: net.step(opt, net.x, net.labels), steps)
    b, seed = int(words[3]), int(words[4])
    g = torch.Generator().manual_seed(seed)
    n = net.x.shape[0]
    per_epoch = n // b
    state = {"s": 0, "order": None}

    def sgd_step():
        k = state["s"] % per_epoch
        if k == 0:
            state["order"] = torch.randperm(n, generator=g)
        state["s"] += 1
        idx = state["order"][k * b:(k + 1) * b]
        return net.step(opt, net.x.index_select(0, idx), net.labels.index_select(0, idx))

    return timed(sgd_step, steps)


def main():
    net = Net(sys.argv[1])
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        if words[0] == "quit":
            break
        if words[0] == "info":
            out = "torch %s threads=%d %s" % (torch.__version__, torch.get_num_threads(), blas_info())
        else:
            out = run(net, words)
        sys.stdout.write(out + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
