"""Golden fixtures for NormLab's normalization layers, computed by PyTorch on CPU.

Regenerate (from anywhere; the output directory is found from this file's location):

    /usr/bin/python3 scripts/golden/generate.py

It needs PyTorch for the *system* Python, from Debian (once per machine, as root):

    apt-get update && apt-get install -y python3-torch

Call /usr/bin/python3 explicitly: a python3 earlier on PATH (pyenv, a venv) does not see Debian's torch.
PyTorch is a test oracle only, never a runtime dependency of NormLab.

Each norm case becomes one JSON file in src/test/resources/golden/, read by org.normlab.norm.GoldenTest (the GRU
case goes to golden/recurrent/, in the format its function gru() describes):

    {"name", "layer", "config": {constructor arguments, PyTorch names},
     "params": {"gamma": T, "beta": T}          (initial γ/β = PyTorch weight/bias; {} when there are none),
     "steps": [{"mode": "train" | "eval",
                "input": T, "grad_output": T,   (upstream gradient dL/dy)
                "output": T, "grad_input": T,
                "grad_params": {"gamma": T, "beta": T},   (of this step alone: grads are zeroed before each step)
                "buffers": {"running_mean": T, "running_var": T}}]}   (after the step; {} without running stats)

where T = {"shape": [...], "data": [... row-major float32 values ...]}. Steps run in order on one module, so
running statistics carry over from step to step. Values are written as the shortest decimal that reads back as
the same float32. Everything is seeded, so a rerun with the same PyTorch build writes identical files.
"""

import json
import pathlib

import numpy as np
import torch
from torch import nn

OUT = pathlib.Path(__file__).resolve().parents[2] / "src" / "test" / "resources" / "golden"


def tensor_json(t):
    t = t.detach().to(torch.float32).contiguous()
    return {"shape": list(t.shape), "data": [float(str(np.float32(v))) for v in t.reshape(-1).tolist()]}


def random_input(gen, shape):
    return torch.randn(*shape, generator=gen) * 2 + 0.5


def randomize_affine(module, gen):
    """γ in [0.5, 1.5), β ~ N(0, 0.5²): away from the initial (1, 0) so mistakes in using them show."""
    with torch.no_grad():
        if getattr(module, "weight", None) is not None:
            module.weight.copy_(0.5 + torch.rand(module.weight.shape, generator=gen))
        if getattr(module, "bias", None) is not None:
            module.bias.copy_(0.5 * torch.randn(module.bias.shape, generator=gen))


def params_json(module):
    out = {}
    if getattr(module, "weight", None) is not None:
        out["gamma"] = tensor_json(module.weight)
    if getattr(module, "bias", None) is not None:
        out["beta"] = tensor_json(module.bias)
    return out


def run_case(name, layer, config, module, steps, seed):
    """steps: list of (mode, input shape). Writes OUT/<name>.json."""
    gen = torch.Generator().manual_seed(seed)
    randomize_affine(module, gen)
    case = {"name": name, "layer": layer, "config": config, "torch_version": torch.__version__,
            "params": params_json(module), "steps": []}
    for mode, shape in steps:
        module.train(mode == "train")
        x = random_input(gen, shape).requires_grad_(True)
        dy = torch.randn(*shape, generator=gen)
        for p in module.parameters():
            p.grad = None
        y = module(x)
        y.backward(dy)
        grads = {}
        if getattr(module, "weight", None) is not None:
            grads["gamma"] = tensor_json(module.weight.grad)
        if getattr(module, "bias", None) is not None:
            grads["beta"] = tensor_json(module.bias.grad)
        buffers = {}
        if getattr(module, "running_mean", None) is not None:
            buffers["running_mean"] = tensor_json(module.running_mean)
            buffers["running_var"] = tensor_json(module.running_var)
        case["steps"].append({"mode": mode, "input": tensor_json(x), "grad_output": tensor_json(dy),
                              "output": tensor_json(y), "grad_input": tensor_json(x.grad),
                              "grad_params": grads, "buffers": buffers})
    path = OUT / (name + ".json")
    path.write_text(dumps(case) + "\n")
    return path


def dumps(case):
    """JSON with one line per tensor (readable diffs), compact number lists."""
    def fmt(value, indent):
        pad = " " * indent
        if isinstance(value, dict) and not ("shape" in value and "data" in value):
            if not value:
                return "{}"
            items = [f'{pad} {json.dumps(k)}: {fmt(v, indent + 1)}' for k, v in value.items()]
            return "{\n" + ",\n".join(items) + "\n" + pad + "}"
        if isinstance(value, list) and value and isinstance(value[0], dict):
            return "[\n" + ",\n".join(pad + " " + fmt(v, indent + 1) for v in value) + "\n" + pad + "]"
        return json.dumps(value, separators=(",", ":"))
    return fmt(case, 0)


def batchnorm(name, shape, momentum=0.1, affine=True, track=True, steps=("train", "train", "train", "eval"), seed=0):
    channels = shape[1]
    module_type = nn.BatchNorm1d if len(shape) in (2, 3) else nn.BatchNorm2d
    module = module_type(channels, eps=1e-5, momentum=momentum, affine=affine, track_running_stats=track)
    config = {"num_features": channels, "eps": 1e-5, "momentum": momentum, "affine": affine, "track_running_stats": track}
    return run_case(name, "BatchNorm", config, module, [(m, shape) for m in steps], seed)


def layernorm(name, shape, normalized_shape, affine=True, seed=0):
    module = nn.LayerNorm(normalized_shape, eps=1e-5, elementwise_affine=affine)
    config = {"normalized_shape": list(normalized_shape), "eps": 1e-5, "elementwise_affine": affine}
    return run_case(name, "LayerNorm", config, module, [("train", shape), ("eval", shape)], seed)


def groupnorm(name, shape, groups, affine=True, seed=0):
    module = nn.GroupNorm(groups, shape[1], eps=1e-5, affine=affine)
    config = {"num_groups": groups, "num_channels": shape[1], "eps": 1e-5, "affine": affine}
    return run_case(name, "GroupNorm", config, module, [("train", shape), ("eval", shape)], seed)


def instancenorm(name, shape, affine=False, track=False, momentum=0.1, steps=("train", "eval"), seed=0):
    module_type = nn.InstanceNorm1d if len(shape) == 3 else nn.InstanceNorm2d
    module = module_type(shape[1], eps=1e-5, momentum=momentum, affine=affine, track_running_stats=track)
    config = {"num_features": shape[1], "eps": 1e-5, "momentum": momentum, "affine": affine, "track_running_stats": track}
    return run_case(name, "InstanceNorm", config, module, [(m, shape) for m in steps], seed)


def lrn(name, shape, size, alpha, beta, k, seed=0):
    module = nn.LocalResponseNorm(size, alpha=alpha, beta=beta, k=k)
    config = {"size": size, "alpha": alpha, "beta": beta, "k": k}
    return run_case(name, "LocalResponseNorm", config, module, [("train", shape), ("eval", shape)], seed)


def gru(name, batch, steps, input_size, hidden, seed):
    """nn.GRU (one layer, batch_first) with weights drawn here, h0 = 0; writes OUT/recurrent/<name>.json.

    The fixture holds PyTorch's own parameters (weight_ih, weight_hh: 3H rows in the order r, z, n; bias_ih,
    bias_hh), the input x (N, T, F), the upstream gradient of the last hidden state h_T (N, H), and what PyTorch
    computes from them: h_T, dL/dx and the four parameter gradients. Read by org.normlab.model.GruGoldenTest.
    """
    gen = torch.Generator().manual_seed(seed)
    module = nn.GRU(input_size, hidden, num_layers=1, batch_first=True)
    params = {"weight_ih": module.weight_ih_l0, "weight_hh": module.weight_hh_l0,
              "bias_ih": module.bias_ih_l0, "bias_hh": module.bias_hh_l0}
    with torch.no_grad():
        for p in params.values():
            p.copy_(torch.randn(p.shape, generator=gen) * 0.6)
    x = torch.randn(batch, steps, input_size, generator=gen).requires_grad_(True)
    dy = torch.randn(batch, hidden, generator=gen)
    _, h_n = module(x)
    last = h_n[0]
    last.backward(dy)
    case = {"name": name, "layer": "GRU",
            "config": {"input_size": input_size, "hidden_size": hidden, "num_layers": 1, "batch_first": True, "bias": True},
            "torch_version": torch.__version__,
            "params": {k: tensor_json(v) for k, v in params.items()},
            "input": tensor_json(x), "grad_output": tensor_json(dy),
            "output": tensor_json(last), "grad_input": tensor_json(x.grad),
            "grad_params": {k: tensor_json(v.grad) for k, v in params.items()}}
    out = OUT / "recurrent"
    out.mkdir(parents=True, exist_ok=True)
    path = out / (name + ".json")
    path.write_text(dumps(case) + "\n")
    return path


def main():
    torch.set_num_threads(1)
    torch.manual_seed(0)
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.json"):
        old.unlink()
    paths = [
        # BatchNorm: three training batches (running stats checked after each), then eval with what they left.
        batchnorm("bn_momentum_0.1", (4, 3, 3, 3), momentum=0.1, seed=1),
        batchnorm("bn_momentum_0.5", (4, 3, 3, 3), momentum=0.5, seed=2),
        batchnorm("bn_momentum_none_cumulative", (4, 3, 3, 3), momentum=None, seed=3),
        batchnorm("bn_batch_of_2", (2, 4, 3, 3), seed=4),
        batchnorm("bn_spatial_1x1", (4, 3, 1, 1), seed=5),
        batchnorm("bn_2d_features", (8, 5), seed=6),
        batchnorm("bn_3d_sequence", (3, 4, 5), seed=7),
        batchnorm("bn_affine_off", (4, 3, 3, 3), affine=False, steps=("train", "train", "eval"), seed=8),
        batchnorm("bn_no_running_stats", (4, 3, 3, 3), track=False, steps=("train", "eval"), seed=9),
        # LayerNorm over the features of an MLP, over (C,H,W), and over (H,W) without affine.
        layernorm("ln_features", (4, 6), [6], seed=10),
        layernorm("ln_chw", (4, 6, 3, 3), [6, 3, 3], seed=11),
        layernorm("ln_hw_no_affine", (4, 6, 3, 3), [3, 3], affine=False, seed=12),
        # GroupNorm: G = 1 (LayerNorm-like), G = C (InstanceNorm-like), in between, and on (N, C).
        groupnorm("gn_groups_1", (4, 6, 3, 3), 1, seed=13),
        groupnorm("gn_groups_6_of_6", (4, 6, 3, 3), 6, seed=14),
        groupnorm("gn_groups_3", (4, 6, 3, 3), 3, seed=15),
        groupnorm("gn_groups_2_2d", (4, 6), 2, seed=16),
        groupnorm("gn_groups_2_no_affine", (2, 4, 3, 3), 2, affine=False, seed=17),
        # InstanceNorm: PyTorch defaults (2-D and 1-D variants), and affine with running statistics.
        instancenorm("in_defaults", (4, 6, 3, 3), seed=18),
        instancenorm("in_1d_defaults", (4, 3, 5), seed=19),
        instancenorm("in_affine_running_stats", (4, 3, 3, 3), affine=True, track=True, momentum=0.1,
                     steps=("train", "train", "eval"), seed=20),
        # LRN: AlexNet-style hyper-parameters (PyTorch convention), a large alpha, an even window, 3-D input.
        lrn("lrn_size5_alpha1e-4", (4, 6, 3, 3), 5, 1e-4, 0.75, 2.0, seed=21),
        lrn("lrn_size5_alpha1", (4, 6, 3, 3), 5, 1.0, 0.75, 2.0, seed=22),
        lrn("lrn_size4_even_window", (4, 6, 3, 3), 4, 0.5, 0.75, 1.0, seed=23),
        lrn("lrn_3d_size3", (4, 6, 5), 3, 0.3, 0.6, 1.5, seed=24),
        # GRU (recurrent/, not a norm layer): PyTorch's r, z, n gates, over several steps so h_{t−1} matters.
        gru("gru_5_steps", batch=3, steps=5, input_size=4, hidden=6, seed=25),
    ]
    total = sum(p.stat().st_size for p in paths)
    print(f"wrote {len(paths)} fixtures, {total / 1024:.0f} KiB, to {OUT} (torch {torch.__version__})")


if __name__ == "__main__":
    main()
