#!/usr/bin/env bash
# Installs the `java` kernelspec into the project venv so that JJava runs on our JDK (>= 21) with NormLab's jar
# and its dependencies on the kernel classpath, and a heap that fits a 2 GB Binder container.
# Usage: install-kernel.sh JAVA_HOME   (env: NORMLAB_VENV, NORMLAB_KERNEL_HEAP, default 1g)
set -euo pipefail
cd "$(dirname "$0")/.."
jdk=${1:?usage: install-kernel.sh JAVA_HOME}
VENV=${NORMLAB_VENV:-.venv}
HEAP=${NORMLAB_KERNEL_HEAP:-1g}
root=$(pwd)
spec_dir="$VENV/share/jupyter/kernels/java"

if [ ! -f "$spec_dir/jjava.jar" ]; then
  echo "install-kernel: $spec_dir/jjava.jar is missing; the jjava package did not install its kernel (rerun scripts/venv.sh)." >&2
  exit 1
fi
if [ ! -f target/normlab.jar ] || [ ! -d target/lib ]; then
  echo "install-kernel: target/normlab.jar or target/lib is missing; build first (make build)." >&2
  exit 1
fi

"$VENV/bin/python" - "$jdk" "$HEAP" "$root" "$spec_dir" <<'PY'
import json, os, re, subprocess, sys, glob
jdk, heap, root, spec_dir = sys.argv[1:]
java = os.path.join(jdk, "bin", "java")
out = subprocess.run([java, "-version"], capture_output=True, text=True).stderr
m = re.search(r'version "(?:1\.)?(\d+)', out)
feature = int(m.group(1)) if m else 0
if feature < 21:
    sys.exit(f"install-kernel: {java} is JDK {feature}; the kernel needs 21+")
classpath = [os.path.join(root, "target", "normlab.jar")] + sorted(glob.glob(os.path.join(root, "target", "lib", "*.jar")))
# jdk.incubator.vector: the normalization kernels' reductions use the Vector API (plain loops without it).
opts = [f"-Xmx{heap}", "-Djava.awt.headless=true", "--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector"]
if feature >= 24:
    # Tablesaw's classgraph and JavaCPP still use sun.misc.Unsafe; keep the notebook free of JDK warnings.
    opts.append("--sun-misc-unsafe-memory-access=allow")
spec = {
    "argv": [java, *opts, "--add-opens", "jdk.jshell/jdk.jshell=ALL-UNNAMED",
             "-jar", "{resource_dir}/jjava.jar", "{connection_file}"],
    "display_name": "Java (NormLab)",
    "language": "java",
    "interrupt_mode": "message",
    "env": {
        "JJAVA_CLASSPATH": os.pathsep.join(classpath),
        # Stored runs go to the project's results/ (git-ignored), not into notebooks/ where the kernel starts;
        # NORMLAB_RESULTS, when set, still wins.
        "NORMLAB_DEFAULT_RESULTS": os.path.join(root, "results"),
    },
    "metadata": {"normlab": {"jdk": jdk, "jdk_feature": feature, "heap": heap}},
}
with open(os.path.join(spec_dir, "kernel.json"), "w") as f:
    json.dump(spec, f, indent=2)
print(f"install-kernel: kernelspec 'java' -> JDK {feature} at {jdk}, heap {heap}, {len(classpath)} jars")
PY
