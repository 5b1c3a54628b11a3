#!/usr/bin/env python3
"""The Spark engine on a real standalone cluster (`make cluster-test`, part of `make test`).

Starts a Spark master and two workers (1 core each) on 127.0.0.1 from the distribution scripts/ensure-spark.sh
installs, then:
  1. runs `study quickstart --scale smoke` there and compares every table and every stored run with the local
     engine's, bit for bit;
  2. runs `study batch-size --scale smoke` there, kills one worker with SIGKILL once the first run is stored, and
     checks that the study still finishes with every run stored exactly once (one run file per run, each reported
     once, no claim or partial file left) and bit-identical to the local engine's;
  3. sends SIGINT (Ctrl-C) to a driver once a run is stored: exit 130, the Spark job cancelled on the executors; then
     resumes it and checks only the rest is computed, with the local engine's tables;
  4. from a notebook: a JJava kernel (the project's kernelspec) adds Spark's jars and normlab-spark.jar with
     `%classpath`, runs the quickstart on a SparkEngine connected to the cluster (stored runs bit-identical to the
     local engine's, progress counting the cluster's runs), then interrupts a sweep running there: the cell ends
     saying how many runs are stored and the executor is told to interrupt its task;
  5. stops the cluster and checks that no process of it is left.
Ends with `cluster-test: N passed, N failed`. Needs target/normlab.jar and spark/target/normlab-spark.jar; step 4
needs jupyter_client and the `java` kernelspec (the project venv: `make test` runs this script with it).
"""
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
hash_studies = __import__("hash-studies")  # table_hash: the same comparison as the refactoring baseline

WORK = ROOT / "build" / "cluster-test"
TAG = f"normlab.cluster.test={os.getpid()}"  # on every JVM's command line: how the leftover check finds them
results = []


def check(name, ok, detail=""):
    results.append(ok)
    print(f"cluster-test: {'PASS' if ok else 'FAIL'} {name}" + (f" ({detail})" if detail else ""), flush=True)
    return ok


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def script(name):
    return subprocess.run([str(ROOT / "scripts" / name)], capture_output=True, text=True, check=True).stdout.strip()


def tables(out: Path):
    return {p.relative_to(out).as_posix(): hash_studies.table_hash(p) for p in sorted(out.glob("*.csv"))}


def stored(out: Path):
    """Every stored run's points file, by name (the key of spec, data and runner), with its bytes."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted((out / "runs").rglob("*.points.csv"))}


def same_as_local(label, local: Path, spark: Path):
    a, b = tables(local), tables(spark)
    check(f"{label}: tables identical to the local engine's", a == b and len(a) > 0,
          f"{len(a)} tables" if a == b else f"differ: {sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))}")
    pa, pb = stored(local), stored(spark)
    check(f"{label}: stored runs identical to the local engine's", pa == pb and len(pa) > 0,
          f"{len(pa)} runs" if pa == pb else f"{len(pa)} local, {len(pb)} on Spark, {sum(pa.get(k) != pb.get(k) for k in pa)} differ")


class Cluster:
    def __init__(self, spark_home, jdk):
        self.env = dict(os.environ, SPARK_HOME=spark_home, JAVA_HOME=jdk, SPARK_LOCAL_IP="127.0.0.1",
                        SPARK_DAEMON_MEMORY="384m", SPARK_DAEMON_JAVA_OPTS=f"-D{TAG}", SPARK_LOG_DIR=str(WORK / "logs"),
                        SPARK_NO_DAEMONIZE="1")
        self.spark_class = str(Path(spark_home) / "bin" / "spark-class")
        self.port, self.ui = free_port(), free_port()
        self.url = f"spark://127.0.0.1:{self.port}"
        self.procs = {}

    def start(self, name, *args):
        log = open(WORK / f"{name}.log", "w")
        self.procs[name] = subprocess.Popen([self.spark_class, *args], env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, start_new_session=True, cwd=WORK)

    def up(self, workers):
        self.start("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", str(self.port),
                   "--webui-port", str(self.ui))
        for i in range(1, workers + 1):
            self.start(f"worker{i}", "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", "1",
                       "--memory", "2g", "--work-dir", str(WORK / f"worker{i}"), "--webui-port", str(free_port()), self.url)
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                status = json.load(urllib.request.urlopen(f"http://127.0.0.1:{self.ui}/json/", timeout=2))
                if status.get("aliveworkers", 0) >= workers:
                    return True
            except OSError:
                pass
            time.sleep(1)
        return False

    def java_pid(self, name):
        """The JVM behind spark-class (the launcher execs it, so it is the same process)."""
        return self.procs[name].pid

    def stop(self):
        for name in sorted(self.procs, key=lambda n: n == "master"):  # workers first: each stops its executors
            p = self.procs[name]
            if p.poll() is None:
                p.terminate()
        for p in self.procs.values():
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()


def leftovers():
    out = subprocess.run(["pgrep", "-f", TAG], capture_output=True, text=True).stdout.split()
    return [int(p) for p in out if int(p) != os.getpid()]


def normlab_spark(cluster, args, out_log, **popen):
    env = dict(cluster.env, NORMLAB_SPARK_SUBMIT_ARGS=f"--conf spark.executor.extraJavaOptions=-D{TAG} --driver-java-options -D{TAG}",
               NORMLAB_EXECUTOR_MEMORY="1200m", NORMLAB_HEAP="1500m")
    env.pop("SPARK_DAEMON_JAVA_OPTS")
    return subprocess.Popen([str(ROOT / "bin" / "normlab-spark"), *args, "--engine", "spark", "--master", cluster.url],
                            env=env, stdout=out_log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, **popen)


def local(study, out):
    r = subprocess.run([str(ROOT / "bin" / "normlab"), "study", study, "--scale", "smoke", "--threads", "2", "--out", str(out)],
                       capture_output=True, text=True, env=dict(os.environ, NORMLAB_HEAP="1500m"))
    return check(f"{study}: local engine run", r.returncode == 0, r.stderr.strip().splitlines()[-1] if r.returncode else "")


class Kernel:
    """A `java` kernel (JJava with NormLab on its classpath) and the messages each cell sent."""

    def __init__(self, env):
        from jupyter_client.manager import start_new_kernel
        self.km, self.kc = start_new_kernel(kernel_name="java", startup_timeout=180, env=env)

    def execute(self, code):
        return self.kc.execute(code)

    def outputs(self, cell, timeout=600, until_idle=True):
        """(type, text) of every output of `cell` up to its idle status."""
        out = []
        while True:
            m = self.kc.get_iopub_msg(timeout=timeout)
            if m["parent_header"].get("msg_id") != cell:
                continue
            kind, content = m["msg_type"], m["content"]
            if kind == "stream":
                out.append((kind, content["text"]))
            elif kind == "error":
                out.append((kind, content["ename"] + ": " + content["evalue"]))
            elif kind in ("execute_result", "display_data", "update_display_data"):
                out.append((kind, content["data"].get("text/plain", "")))
            elif kind == "status" and content["execution_state"] == "idle" and until_idle:
                return out

    def stop(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)


def notebook(cluster, spark_home):
    """A notebook's path to the cluster: `%classpath` of Spark's jars, SparkEngine.connect, a study, an interrupt."""
    try:
        import jupyter_client  # noqa: F401
    except ImportError:
        check("notebook: a JJava kernel can be started (jupyter_client)", False, "run with the project venv's python")
        return
    out = WORK / "notebook-quickstart"
    earlier_apps = set(WORK.glob("worker*/app-*"))  # the kernel's SparkContext is one new application
    env = dict(os.environ, NORMLAB_RESULTS=str(out / "runs"), SPARK_LOCAL_IP="127.0.0.1")
    kernel = Kernel(env)
    try:
        cell = kernel.execute(f"%classpath {spark_home}/jars/*.jar {ROOT}/spark/target/normlab-spark.jar")
        said = kernel.outputs(cell, timeout=180)
        check("notebook: %classpath adds Spark and normlab-spark", not any(k == "error" for k, _ in said), str(said)[-300:])
        cell = kernel.execute(f"""import org.normlab.spark.SparkEngine;
import org.normlab.studies.Quickstart; import org.normlab.experiment.*; import org.normlab.data.FashionMnist;
System.setProperty("spark.executor.extraJavaOptions", "-D{TAG}");
System.setProperty("spark.executor.memory", "1200m");
var spark = SparkEngine.connect("{cluster.url}");
new Quickstart().run(Scale.SMOKE, FashionMnist.train(), FashionMnist.test(), ResultStore.defaultStore(), Progress.auto(), spark).verdicts().size()""")
        said = kernel.outputs(cell)
        errors = [t for k, t in said if k == "error"]
        check("notebook: the quickstart runs on a SparkEngine", not errors and any(k == "execute_result" for k, _ in said),
              errors[0][:300] if errors else "")
        check("notebook: its progress counts the cluster's finished runs",
              any(k == "update_display_data" and re.search(r"4/4 runs", t) for k, t in said),
              "; ".join(t.splitlines()[0] for k, t in said if k == "update_display_data")[-300:])
        pa, pb = stored(WORK / "local-quickstart"), stored(out)
        check("notebook: stored runs identical to the local engine's", pa == pb and len(pa) > 0,
              f"{len(pa)} runs" if pa == pb else f"{len(pa)} local, {len(pb)} from the notebook")

        def tasks_started():
            return sum(p.read_text(errors="replace").count("Running task") for app in set(WORK.glob("worker*/app-*")) - earlier_apps
                       for p in app.glob("*/stderr"))

        runs, before = WORK / "notebook-interrupted", tasks_started()
        cell = kernel.execute(f"""import java.util.List; import org.normlab.nn.Activation; import org.normlab.norm.Norm;
Sweep.of("nb-interrupt", RunSpec.mlp(List.of(256), Activation.Kind.RELU).withEpochs(50)).vary(Axes.NORM, Norm.NONE, Norm.BN)
    .run(FashionMnist.train(), FashionMnist.test(), ResultStore.at(java.nio.file.Path.of("{runs}")), Progress.auto(), spark)""")
        deadline = time.time() + 120
        while tasks_started() == before and time.time() < deadline:
            time.sleep(0.5)
        time.sleep(3)  # its tasks are training (each run is 50 epochs: minutes)
        kernel.km.interrupt_kernel()
        t0 = time.monotonic()
        said = kernel.outputs(cell, timeout=60)
        took = time.monotonic() - t0
        told = [t for k, t in said if "runs are stored" in t]
        check("notebook: an interrupt ends the cell, saying how many runs are stored",
              took < 5 and told and "interrupted: 0 of 2 runs are stored" in told[0], f"{took:.1f} s; {told[:1]}")
        deadline, logs = time.time() + 20, ""
        while time.time() < deadline and not re.search(r"trying to kill task .*interruptThread: true", logs):
            time.sleep(0.5)  # the cancel reaches the executors through the scheduler, within a few seconds
            logs = "".join(p.read_text(errors="replace") for app in set(WORK.glob("worker*/app-*")) - earlier_apps
                           for p in app.glob("*/stderr"))
        check("notebook: the interrupt cancelled the Spark job (its executors were told to interrupt the tasks)",
              re.search(r"trying to kill task .*interruptThread: true", logs) is not None)
        check("notebook: no run stored after the interrupt", not list(runs.rglob("*.run.csv")))
    finally:
        kernel.stop()


def main():
    for jar in ("target/normlab.jar", "spark/target/normlab-spark.jar"):
        if not (ROOT / jar).is_file():
            print(f"cluster-test: {jar} is missing; build with mvn package -DskipTests && mvn -f spark/pom.xml package", file=sys.stderr)
            return 2
    spark_home, jdk = script("ensure-spark.sh"), script("spark-jdk.sh")
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    cluster = Cluster(spark_home, jdk)
    try:
        if not check("standalone master and two workers up", cluster.up(2), cluster.url):
            return 1

        local("quickstart", WORK / "local-quickstart")
        with open(WORK / "quickstart.log", "w") as log:
            rc = normlab_spark(cluster, ["study", "quickstart", "--scale", "smoke", "--out", str(WORK / "spark-quickstart")], log).wait()
        check("quickstart on the cluster", rc == 0, f"exit {rc}; log build/cluster-test/quickstart.log")
        same_as_local("quickstart", WORK / "local-quickstart", WORK / "spark-quickstart")

        study, out = "batch-size", WORK / "spark-batch-size"
        local(study, WORK / "local-batch-size")
        expected = len(list((WORK / "local-batch-size" / "runs").rglob("*.run.csv")))
        with open(WORK / f"{study}.log", "w") as log:
            driver = normlab_spark(cluster, ["study", study, "--scale", "smoke", "--out", str(out)], log)
            killed_at = None
            deadline = time.time() + 300
            while driver.poll() is None and time.time() < deadline:
                if killed_at is None and any((out / "runs").rglob("*.run.csv")):
                    os.kill(cluster.java_pid("worker1"), signal.SIGKILL)
                    killed_at = len(list((out / "runs").rglob("*.run.csv")))
                time.sleep(0.2)
            if driver.poll() is None:
                driver.kill()
            rc = driver.wait()
        check(f"{study}: a worker killed with SIGKILL mid-sweep", killed_at is not None and killed_at < expected,
              f"after {killed_at} of {expected} runs were stored")
        text = (WORK / f"{study}.log").read_text(errors="replace")
        check(f"{study}: Spark lost the executor and rescheduled its task",
              re.search(r"Lost (executor|task)|ExecutorLostFailure|Remote RPC client disassociated", text) is not None)
        check(f"{study}: the sweep finished on the remaining worker", rc == 0, f"exit {rc}")
        run_files = list((out / "runs").rglob("*.run.csv"))
        reported = re.findall(r"^\[(\d+)/(\d+)\] ", text, re.M)
        check(f"{study}: every run stored exactly once", len(run_files) == expected and len(reported) == len(set(reported)) == expected,
              f"{len(run_files)} run files, {len(reported)} reported, {expected} runs")
        rest = [p.name for p in (out / "runs").rglob("*") if p.suffix in (".claim", ".part")]
        check(f"{study}: no claim or partial file left", not rest, ", ".join(rest[:3]))
        same_as_local(study, WORK / "local-batch-size", out)

        # Ctrl-C: the driver (bin/normlab-spark execs down to the JVM) gets SIGINT once a run is stored.
        out = WORK / "spark-interrupted"
        earlier_apps = set(WORK.glob("worker*/app-*"))
        with open(WORK / "interrupted.log", "w") as log:
            driver = normlab_spark(cluster, ["study", study, "--scale", "smoke", "--out", str(out)], log)
            deadline = time.time() + 300
            while driver.poll() is None and not any((out / "runs").rglob("*.run.csv")) and time.time() < deadline:
                time.sleep(0.2)
            driver.send_signal(signal.SIGINT)
            try:
                rc = driver.wait(timeout=60)
            except subprocess.TimeoutExpired:
                driver.kill()
                rc = driver.wait()
        text = (WORK / "interrupted.log").read_text(errors="replace")
        said = re.search(r"interrupted: (\d+) of (\d+) runs are stored", text)
        check(f"{study}: Ctrl-C stops the sweep on the cluster (exit 130, stored runs named)", rc == 130 and said is not None,
              f"exit {rc}" + (f", {said.group(1)} of {said.group(2)} stored" if said else ""))
        # A task still running when the cancel reaches its executor is told to stop ("trying to kill task … (TID n),
        # interruptThread: true"); a smoke run can also finish first (about a second each). Either way none may be left
        # running un-cancelled. The notebook check below interrupts long runs, so there the kill itself is checked.
        # The executors write their logs on their own time: the driver may exit before the line saying a task was told
        # to stop is written, so the logs are read again for a few seconds until every started task is accounted for.
        deadline = time.time() + 15
        while True:
            executor_logs = "".join(p.read_text(errors="replace") for app in set(WORK.glob("worker*/app-*")) - earlier_apps
                                    for p in app.glob("*/stderr"))
            started = set(re.findall(r"Running task \S+ in stage \S+ \(TID (\d+)\)", executor_logs))
            finished = set(re.findall(r"Finished task \S+ in stage \S+ \(TID (\d+)\)", executor_logs))
            killed = set(re.findall(r"trying to kill task \S+ in stage \S+ \(TID (\d+)\), interruptThread: true", executor_logs))
            if (started and started <= finished | killed) or time.time() > deadline:
                break
            time.sleep(0.5)
        check(f"{study}: Ctrl-C cancelled the Spark job (every task it started finished or was told to interrupt)",
              started and started <= finished | killed,
              f"{len(started)} tasks started, {len(finished)} finished, {len(killed)} told to interrupt")
        with open(WORK / "resumed.log", "w") as log:
            rc = normlab_spark(cluster, ["study", study, "--scale", "smoke", "--out", str(out)], log).wait()
        text = (WORK / "resumed.log").read_text(errors="replace")
        resumed = re.search(r"\((\d+) of (\d+) runs already stored\)", text)
        check(f"{study}: the interrupted sweep resumes, submitting only the runs not stored", rc == 0 and resumed is not None
              and len(re.findall(r"^\[\d+/\d+\] ", text, re.M)) == expected - int(resumed.group(1)),
              f"exit {rc}" + (f", {resumed.group(1)} of {resumed.group(2)} were stored" if resumed else ""))
        same_as_local(f"{study} (interrupted, resumed)", WORK / "local-batch-size", out)
        notebook(cluster, spark_home)
    finally:
        cluster.stop()
        deadline = time.time() + 20
        while leftovers() and time.time() < deadline:
            time.sleep(0.5)
        left = leftovers()
        check("cluster stopped, no process left", not left, f"left: {left}" if left else "")
        for pid in left:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        print(f"cluster-test: {sum(results)} passed, {len(results) - sum(results)} failed", flush=True)
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
