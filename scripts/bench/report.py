"""Joins NormBench's and torch_bench.py's rows into one table, prints it and writes BENCHMARKS.md.

Usage: python3 report.py BENCHMARKS.md DIR THREADS   (run by scripts/bench.sh; the file is generated). DIR holds
normlab-T.tsv, torch-T.tsv and (if jemalloc was there) torch-jemalloc-T.tsv for T = THREADS and T = 1.
"""
import datetime
import os
import platform
import re
import subprocess
import sys


def read(path):
    meta, rows = {}, {}
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                continue
            if line.startswith("#"):
                key, _, value = line[1:].partition("\t")
                meta[key] = value
                continue
            case, layer, shape, op, millis, nbytes = line.split("\t")
            rows[(case, layer if case != "copy" else "copy", shape, op)] = (layer, float(millis), int(nbytes))
    return meta, rows


def machine():
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = "?"
    try:
        with open("/proc/meminfo") as f:
            kb = int(re.search(r"MemTotal:\s+(\d+)", f.read()).group(1))
            mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, AttributeError):
        pass
    load = "?"
    try:
        load = " ".join(open("/proc/loadavg").read().split()[:3])
    except OSError:
        pass
    return cpu, os.cpu_count(), mem, load


def debian_blas():
    try:
        out = subprocess.run(["dpkg-query", "-W", "-f=${Package} ${Version} ${Status}\\n", "libopenblas*", "libblas*"],
                             capture_output=True, text=True, timeout=10).stdout
        versions = sorted({" ".join(l.split()[:2]) for l in out.splitlines() if l.endswith(" ok installed")})
        return "; ".join(versions) if versions else "none from Debian"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def busy_warning(loads, cores):
    """A note computed from the 1-minute load averages each side recorded before and after its measurements."""
    values = [float(l.split()[0]) for l in loads if l.split()]
    if not values or max(values) <= cores:
        return []
    return [f"**Busy machine:** 1-minute load averages {', '.join(f'{v:.1f}' for v in values)} on {cores} cores during the "
            "run (start and end of each side). Both sides lost CPU time to other processes. PyTorch's OpenMP thread team, "
            "which synchronizes at every parallel region, is especially sensitive to oversubscription, so its times (and "
            "the ratios below) may be distorted in NormLab's favour. Rerun `make bench` on a quiet machine.", ""]


def read_optional(path):
    return read(path) if os.path.exists(path) else ({}, {})


def ratio_table(threads, jrows, trows, jerows):
    """One row per NormLab measurement: its time, torch's (glibc, jemalloc) and NormLab ÷ each, at one thread count."""
    head = (f"| case | shape | op | NormLab ms | torch ms | torch+jemalloc ms | NormLab ÷ torch | NormLab ÷ torch+jemalloc |")
    lines = [f"### {threads} thread{'s' if threads != 1 else ''}", "", head, "|---|---|---|---:|---:|---:|---:|---:|"]
    ratios = []
    for key, (layer, jms, nbytes) in jrows.items():
        case, name, shape, op = key
        if case in ("copy", "skeleton"):
            continue
        t, je = trows.get(key), jerows.get(key)
        r = jms / t[1] if t else float("nan")
        rje = jms / je[1] if je else float("nan")
        ratios.append((case, r, rje))
        fmt = lambda v: f"{v[1]:.3f}" if v else ""
        lines.append(f"| {name} | {shape} | {op} | {jms:.3f} | {fmt(t)} | {fmt(je)} | {r:.2f} | "
                     + (f"{rje:.2f} |" if je else " |"))
    met = [r for r in ratios if r[1] <= 1]
    met_je = [r for r in ratios if r[2] <= 1]
    lines += ["", f"At {threads} thread{'s' if threads != 1 else ''}: NormLab ≤ torch on {len(met)} of {len(ratios)} rows"
              + (f", ≤ torch with jemalloc on {len(met_je)} of {len(ratios)}." if jerows else ".")]
    return lines


def main():
    out_path, bench_dir, threads = sys.argv[1], sys.argv[2], int(sys.argv[3])
    jmeta, jrows = read(os.path.join(bench_dir, f"normlab-{threads}.tsv"))
    tmeta, trows = read(os.path.join(bench_dir, f"torch-{threads}.tsv"))
    jemeta, jerows = read_optional(os.path.join(bench_dir, f"torch-jemalloc-{threads}.tsv"))
    j1meta, j1rows = read_optional(os.path.join(bench_dir, "normlab-1.tsv"))
    t1meta, t1rows = read_optional(os.path.join(bench_dir, "torch-1.tsv"))
    je1meta, je1rows = read_optional(os.path.join(bench_dir, "torch-jemalloc-1.tsv"))
    copy_java = next((v for k, v in jrows.items() if k[0] == "copy" and k[3] == "copy 2 threads"), None)
    copy_java1 = next((v for k, v in jrows.items() if k[0] == "copy" and k[3] == "copy 1 thread"), None)
    copy_torch = next((v for k, v in trows.items() if k[0] == "copy"), None)
    bw = copy_java[2] / (copy_java[1] * 1e6) if copy_java else float("nan")  # GB/s, 2 threads

    lines = ratio_table(threads, jrows, trows, jerows) + [""]
    if threads != 1 and j1rows:
        lines += ratio_table(1, j1rows, t1rows, je1rows) + [""]
    # BN train forward + backward at (128,64,32,32) against its bandwidth bound (20 bytes per element at copy speed).
    bound_lines = []
    key_f, key_b = ("norm", "BN", "[128,64,32,32]", "forward train"), ("norm", "BN", "[128,64,32,32]", "backward")
    if key_f in jrows and key_b in jrows and copy_java:
        elems = jrows[key_f][2] // 8
        both = jrows[key_f][1] + jrows[key_b][1]
        bound = 20 * elems / (bw * 1e6)
        bound_lines.append(f"BatchNorm TRAIN forward + backward at (128,64,32,32): {both:.2f} ms; bandwidth bound "
                           f"20 B × {elems} elements at {bw:.2f} GB/s = {bound:.2f} ms; ratio {both / bound:.2f} (target ≤ 2).")
        if key_f in trows and key_b in trows:
            tb = trows[key_f][1] + trows[key_b][1]
            bound_lines.append(f"PyTorch: {tb:.2f} ms, ratio to the same bound {tb / bound:.2f}.")
        skeleton = {k[3]: v for k, v in jrows.items() if k[0] == "skeleton" and k[2] == "[128,64,32,32]"}
        if len(skeleton) == 4:
            total = sum(v[1] for v in skeleton.values())
            reads = skeleton["read x"][1] + skeleton["read x, dy"][1]
            writes = skeleton["write y"][1] + skeleton["write dx"][1]
            gbs = lambda keys: sum(skeleton[k][2] for k in keys) / (sum(skeleton[k][1] for k in keys) * 1e6)
            bound_lines += ["", "The same step's memory traffic alone (the *memory skeleton*: no arithmetic; on four arrays of that "
                            "size, plain Java loops read x, write y, read x and dy, write dx, once each, in memory order): "
                            f"{total:.2f} ms = {total / bound:.2f}× the bound. Its reads take {reads:.2f} ms "
                            f"({gbs(['read x', 'read x, dy']):.2f} GB/s), its stores {writes:.2f} ms "
                            f"({gbs(['write y', 'write dx']):.2f} GB/s of data stored), where the copy moves {bw:.2f} GB/s "
                            "counting its reads and writes. NormLab's forward + backward takes "
                            f"{both / total:.2f}× the skeleton. No kernel whose memory traffic is these bytes can beat the "
                            "skeleton with ordinary stores, and compiled Java code has no other kind; HotSpot's arraycopy, "
                            "which sets the copy rate, uses non-temporal stores for copies of several MB on AVX-512 "
                            "machines. An ordinary store first fetches the line it writes, the likely reason the skeleton's "
                            "stores move data at well under the copy's rate."]

    cpu, cores, mem, load = machine()
    loads = [m.get(k) for m in (jmeta, tmeta, jemeta, j1meta, t1meta, je1meta) for k in ("load-start", "load-end") if m.get(k)]
    config = tmeta.get("torch-config", "")
    torch_blas = (re.search(r"BLAS_INFO=([^,\s]+)", config) or [None, "?"])[1]
    torch_cpu = (re.search(r"CPU capability usage: (\S+)", config) or [None, "?"])[1]
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    md = ["# Benchmarks", "",
          "Generated by `make bench` (scripts/bench.sh) — do not edit by hand; rerun the command to refresh it.", "",
          f"Measured {now} on: {cpu}, {cores} logical cores, {mem} memory, {platform.system()} {platform.release()}; "
          f"load average at the end of the run: {load}.", "",
          *busy_warning(loads, cores),
          f"- NormLab: {jmeta.get('java', '?')}, GEMM {jmeta.get('gemm', '?')}, "
          f"kernel threads {jmeta.get('threads', '?')}, norm reductions: {jmeta.get('reductions', '?')}",
          f"- PyTorch: {tmeta.get('torch', '?')} (Python {platform.python_version()}), threads {tmeta.get('threads', '?')}, "
          f"BLAS_INFO {torch_blas}, CPU capability {torch_cpu}: the official PyPI wheel (`pip install torch=="
          f"{tmeta.get('torch', '?').split('+')[0]}`, its CUDA build, the only Linux one PyPI serves, run on the CPU) "
          "in build/bench-venv. Column *torch*: glibc's malloc; column *torch+jemalloc*: the same run with Debian's "
          f"libjemalloc2 preloaded ({jemeta.get('allocator', 'not run: libjemalloc2 missing')}). "
          f"Debian BLAS packages (NormLab's side): {debian_blas()}", "",
          "Load averages (1, 5, 15 min) at the start and end of each run: "
          + "; ".join(f"{label} {m.get('load-start', '?')} → {m.get('load-end', '?')}" for label, m in
                      ((f"NormLab {threads}t", jmeta), (f"torch {threads}t", tmeta), (f"torch+jemalloc {threads}t", jemeta),
                       ("NormLab 1t", j1meta), ("torch 1t", t1meta), ("torch+jemalloc 1t", je1meta)) if m) + ".", "",
          "Times are medians over repeated calls after warm-up; the LeNet rows time two epochs of one fresh model, "
          "the first including NormLab's JIT warm-up, the second the steady state a sweep of many epochs runs at. "
          "All in float32, both libraries at the same thread count, in one run. "
          "Bytes moved are the minimal traffic, each float counted once: forward reads x and writes y (8 B per "
          "element), backward reads x and dy and writes dx (12 B); a copy reads and writes (8 B). NormLab's kernels "
          "make two passes (12 B forward, 20 B backward actually read and written; BatchNorm EVAL one pass, 8 B; "
          "BatchNorm TRAIN forward on inputs larger than the cores' L2 goes channel by channel, its second pass "
          "reading from cache), so about 1.5–1.7× the minimal time is their own floor. The LeNet epoch skips the "
          "data's gradient in both "
          "libraries. The last column divides the achieved GB/s by the 2-thread copy bandwidth "
          "(above 1 means the data sat in cache).", ""]
    if copy_java:
        md.append(f"Memory copy of 64 MB: `System.arraycopy` {copy_java1[2] / (copy_java1[1] * 1e6):.2f} GB/s on 1 thread, "
                  f"{bw:.2f} GB/s on 2 threads (halves)"
                  + (f"; PyTorch `copy_` {copy_torch[2] / (copy_torch[1] * 1e6):.2f} GB/s." if copy_torch else ".")
                  + (f" NormLab's copy is the faster of two measurements ({jmeta['copy']}), as STREAM reports its"
                     " best rate: the first copies in a fresh JVM here sometimes run at half the later speed."
                     if jmeta.get("copy") else ""))
        md.append("")
    md += lines + [""] + bound_lines + [""]
    for net, label in (("lenet", "LeNet-BN"), ("mlp", "quickstart MLP")):
        for key in (f"{net}-normlab-1", f"{net}-torch-1", f"{net}-normlab-2", f"{net}-torch-2"):
            m = jmeta.get(key) or tmeta.get(key)
            if m:
                md.append(f"- {label}, {'NormLab' if 'normlab' in key else 'PyTorch'} ({threads} threads): {m}.")
    text = "\n".join(md) + "\n"
    # The Spark engine's section (scripts/bench_spark.py, `make bench-spark`) is another bench's: keep it.
    try:
        old = open(out_path).read()
    except OSError:
        old = ""
    begin, end = "<!-- bench-spark -->", "<!-- /bench-spark -->"
    if begin in old and end in old:
        text += "\n" + old[old.index(begin):old.index(end) + len(end)] + "\n"
    with open(out_path, "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
