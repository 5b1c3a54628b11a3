"""PyTorch's side of `make bench` (see src/test/java/org/normlab/bench/NormBench.java for NormLab's).

The same cases, shapes, float32, thread count and counting of bytes as NormBench; writes the same tab-separated
rows: case, layer, shape, op, milliseconds, bytes. Usage: python3 torch_bench.py OUT.tsv THREADS BUDGET DATA_DIR
"""
import gzip
import os
import statistics
import sys
import time

import numpy as np
import torch
from torch import nn

SHAPES = [(256, 16, 10, 10), (256, 6, 24, 24), (128, 64, 32, 32)]


def groups(c):
    return 4 if c % 4 == 0 else 2


def time_loop(budget, call, *clear):
    end = time.perf_counter() + budget / 3
    i = 0
    while i < 5 or time.perf_counter() < end:
        call()
        i += 1
    for lst in clear:
        lst.clear()
    end = time.perf_counter() + budget
    i = 0
    while i < 5 or time.perf_counter() < end:
        call()
        i += 1


def fmt_shape(shape):
    return "[" + ",".join(str(d) for d in shape) + "]"


def row(rows, case, layer, shape, op, millis, nbytes):
    rows.append("\t".join([case, layer, shape, op, f"{millis:.4f}", str(nbytes)]))
    gbs = f" {nbytes / (millis * 1e6):8.2f} GB/s" if nbytes else ""
    print(f"{case:<6} {layer:<18} {shape:<16} {op:<16} {millis:10.3f} ms{gbs}", flush=True)


def bench(rows, name, layer, shape, budget):
    torch.manual_seed(1)
    x = torch.randn(*shape).requires_grad_(True)
    dy = torch.randn(*shape)
    fwd, bwd, ev = [], [], []
    layer.train()

    def train_step():
        t0 = time.perf_counter()
        y = layer(x)
        t1 = time.perf_counter()
        y.backward(dy)
        t2 = time.perf_counter()
        x.grad = None
        fwd.append((t1 - t0) * 1e3)
        bwd.append((t2 - t1) * 1e3)

    time_loop(budget, train_step, fwd, bwd)
    layer.eval()
    xe = x.detach()

    def eval_step():
        with torch.no_grad():
            t0 = time.perf_counter()
            layer(xe)
            ev.append((time.perf_counter() - t0) * 1e3)

    time_loop(budget / 2, eval_step, ev)
    n = x.numel()
    s = fmt_shape(shape)
    row(rows, "norm", name, s, "forward train", statistics.median(fwd), 8 * n)
    row(rows, "norm", name, s, "forward eval", statistics.median(ev), 8 * n)
    row(rows, "norm", name, s, "backward", statistics.median(bwd), 12 * n)


def copy_millis(budget):
    n = 16 << 20
    src = torch.ones(n)
    dst = torch.empty(n)
    times = []

    def copy():
        t0 = time.perf_counter()
        dst.copy_(src)
        times.append((time.perf_counter() - t0) * 1e3)

    time_loop(budget, copy, times)
    return statistics.median(times), n


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def find(data_dir, name):
    for candidate in (name, name + ".gz"):
        p = os.path.join(data_dir, candidate)
        if os.path.exists(p):
            return p
    raise FileNotFoundError(f"torch_bench: no {name}[.gz] in {data_dir}")


def lenet_bn():
    """d2l's LeNet with BatchNorm (chapter "Batch Normalization"), sigmoid activations."""
    return nn.Sequential(
        nn.Conv2d(1, 6, kernel_size=5), nn.BatchNorm2d(6), nn.Sigmoid(), nn.AvgPool2d(kernel_size=2, stride=2),
        nn.Conv2d(6, 16, kernel_size=5), nn.BatchNorm2d(16), nn.Sigmoid(), nn.AvgPool2d(kernel_size=2, stride=2),
        nn.Flatten(),
        nn.Linear(256, 120), nn.BatchNorm1d(120), nn.Sigmoid(),
        nn.Linear(120, 84), nn.BatchNorm1d(84), nn.Sigmoid(),
        nn.Linear(84, 10))


def init_like_normlab(net):
    """NormLab's Init.xavier(): weights from N(0, 2 / (fan_in + fan_out)), biases zero."""
    for m in net.modules():
        if isinstance(m, (nn.Linear, nn.Conv2d)):
            nn.init.xavier_normal_(m.weight)
            if m.bias is not None:
                nn.init.zeros_(m.bias)


def fashion_mnist(data_dir):
    images = read_idx(find(data_dir, "train-images-idx3-ubyte"))
    labels = read_idx(find(data_dir, "train-labels-idx1-ubyte"))
    x_all = torch.from_numpy(images.astype(np.float32) / 255.0).reshape(-1, 1, 28, 28)
    return x_all, torch.from_numpy(labels.astype(np.int64))


def mlp_epoch(rows, x_all, y_all):
    """The quickstart's base network: sigmoid MLP 784-256-256-256-10, no norm, Xavier, SGD lr 0.1, batch 64."""
    torch.manual_seed(7)
    net = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.Sigmoid(), nn.Linear(256, 256), nn.Sigmoid(),
                        nn.Linear(256, 256), nn.Sigmoid(), nn.Linear(256, 10))
    init_like_normlab(net)
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    loss_fn = nn.CrossEntropyLoss()
    for epoch in (1, 2):
        order = torch.randperm(len(y_all))
        t0 = time.perf_counter()
        loss_sum = 0.0
        for start in range(0, len(y_all), 64):
            idx = order[start:start + 64]
            opt.zero_grad()
            loss = loss_fn(net(x_all[idx]), y_all[idx])
            loss.backward()
            opt.step()
            loss_sum += loss.item() * len(idx)
        millis = (time.perf_counter() - t0) * 1e3
        rows.append(f"#mlp-torch-{epoch}\tmean train loss {loss_sum / len(y_all):.4f} during epoch {epoch}")
        row(rows, "mlp", "quickstart MLP", "[64,784]", f"train epoch {epoch}", millis, 0)


def lenet_epoch(rows, x_all, y_all):
    torch.manual_seed(42)
    net = lenet_bn()
    init_like_normlab(net)
    opt = torch.optim.SGD(net.parameters(), lr=1.0)
    loss_fn = nn.CrossEntropyLoss()
    net.train()

    def step(idx):
        xb, yb = x_all[idx], y_all[idx]
        opt.zero_grad()
        out = net(xb)
        loss = loss_fn(out, yb)
        loss.backward()
        opt.step()
        return loss.item() * len(idx), (out.argmax(1) == yb).sum().item()

    # Two epochs from a fresh model, each timed, as NormBench does (NormLab's first includes its JIT warm-up).
    for epoch in (1, 2):
        order = torch.randperm(len(y_all))
        t0 = time.perf_counter()
        loss_sum, correct = 0.0, 0
        for start in range(0, len(y_all), 256):
            l, c = step(order[start:start + 256])
            loss_sum += l
            correct += c
        millis = (time.perf_counter() - t0) * 1e3
        rows.append(f"#lenet-torch-{epoch}\tmean train loss {loss_sum / len(y_all):.4f}, "
                    f"train accuracy {correct / len(y_all):.4f} during epoch {epoch}")
        row(rows, "lenet", "LeNet-BN", "[256,1,28,28]", f"train epoch {epoch}", millis, 0)


def load():
    try:
        return " ".join(open("/proc/loadavg").read().split()[:3])
    except OSError:
        return ""


def main():
    out, threads, budget, data_dir = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
    torch.set_num_threads(threads)
    rows = [f"#load-start\t{load()}", f"#torch\t{torch.__version__}",
            f"#allocator\t{'jemalloc (LD_PRELOAD)' if 'jemalloc' in os.environ.get('LD_PRELOAD', '') else 'glibc malloc'}",
            f"#threads\t{torch.get_num_threads()}",
            f"#torch-config\t{' '.join(torch.__config__.show().split())}"]
    ms, n = copy_millis(budget)
    row(rows, "copy", "tensor.copy_", f"[{n}]", f"copy {threads} threads", ms, 8 * n)
    for shape in SHAPES:
        c = shape[1]
        bench(rows, "BN", nn.BatchNorm2d(c), shape, budget)
        bench(rows, "LN", nn.LayerNorm([c, shape[2], shape[3]]), shape, budget)
        bench(rows, "GN", nn.GroupNorm(groups(c), c), shape, budget)
    bench(rows, "BN", nn.BatchNorm1d(1024), (256, 1024), budget)
    x_all, y_all = fashion_mnist(data_dir)
    lenet_epoch(rows, x_all, y_all)
    mlp_epoch(rows, x_all, y_all)
    rows.append(f"#load-end\t{load()}")
    with open(out, "w") as f:
        f.write("\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
