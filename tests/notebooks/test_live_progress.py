"""Live progress in a real notebook kernel: while a sweep's runs train, the progress output is updated in place with
each running run's step count and a curve of its training loss — not only when a whole run finishes."""
import re
from pathlib import Path

from jupyter_client.manager import KernelManager

ROOT = Path(__file__).resolve().parents[2]

CELL = f"""
import java.nio.file.Path;
import java.util.List;
import org.normlab.data.*;
import org.normlab.experiment.*;
import org.normlab.nn.Activation;
import org.normlab.norm.Norm;
import org.normlab.tensor.Rng;
Dataset.Split data = CsvData.read(Path.of("{ROOT}/docs/examples/three-blobs.csv"), "label").split(0.8, new Rng(0));
RunSpec spec = RunSpec.mlp(List.of(64, 64), Activation.Kind.RELU).sizedFor(data.train()).withBatchSize(4).withEpochs(1000).withLogEvery(100);
Sweep.of("live-progress", spec).vary(Axes.NORM, Norm.NONE, Norm.BN).run(data.train(), data.test(), ResultStore.none(), Progress.auto(), 1);
"""


def test_the_progress_output_moves_while_runs_train(tmp_path):
    km = KernelManager(kernel_name="java")
    km.start_kernel(cwd=str(tmp_path))
    kc = km.client()
    kc.start_channels()
    updates = []
    try:
        kc.wait_for_ready(timeout=120)
        reply = kc.execute_interactive(CELL, timeout=600, output_hook=lambda m: updates.append(m)
                                       if m["msg_type"] in ("display_data", "update_display_data", "error") else None)
        assert reply["content"]["status"] == "ok", (reply["content"], [u for u in updates if u["msg_type"] == "error"])
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    texts = [u["content"]["data"].get("text/plain", "") for u in updates if u["msg_type"] == "update_display_data"]
    first_done = next(i for i, t in enumerate(texts) if re.search(r": 1/2 runs", t))
    live = [t for t in texts[:first_done] if re.search(r"training norm=none seed 0: step \d+/60000, train loss [0-9.]+", t)]
    print("live updates before the first run finished:", len(live))
    assert len(live) >= 3, f"the output moved {len(live)} times before the first run finished:\n" + "\n".join(texts[:first_done + 1])
    steps = [int(re.search(r"step (\d+)/", t).group(1)) for t in live]
    assert steps == sorted(steps) and steps[0] < steps[-1], steps
    html = [u["content"]["data"].get("text/html", "") for u in updates if u["msg_type"] == "update_display_data"][:first_done]
    assert any("<polyline" in h and "currentColor" in h for h in html), "a live training-loss curve, in the page's colour"
    assert re.search(r"done in", texts[-1]) and "training norm=" not in texts[-1], texts[-1]
