#!/usr/bin/env bash
# Prints the home of a JDK >= 21 (NormLab's minimum) and nothing else on stdout.
# Order: $JAVA_HOME if it is new enough; else the newest JDK >= 21 in the usual system folders;
# else a clear error on stderr and exit 1.
set -euo pipefail
MIN=${NORMLAB_MIN_JDK:-21}

# Feature version of a JDK home, from its `release` file (fast) or `java -version`.
feature_version() {
  local home=$1 v=""
  [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || { echo 0; return; }
  if [ -f "$home/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release")
  fi
  [ -n "$v" ] || v=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n1)
  v=${v#1.}                      # 1.8.0 -> 8.0
  echo "${v%%[.+-]*}"
}

if [ -n "${JAVA_HOME:-}" ]; then
  v=$(feature_version "$JAVA_HOME")
  if [ "$v" -ge "$MIN" ]; then echo "$JAVA_HOME"; exit 0; fi
  echo "find-jdk: JAVA_HOME=$JAVA_HOME is JDK $v (NormLab needs $MIN+); looking for a newer JDK instead." >&2
fi

best="" best_v=0
for home in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* /Library/Java/JavaVirtualMachines/*/Contents/Home \
            "$HOME"/.sdkman/candidates/java/* "${CONDA_PREFIX:-/nonexistent}/lib/jvm"; do
  [ -d "$home" ] && [ ! -L "$home" ] || continue
  v=$(feature_version "$home")
  if [ "$v" -ge "$MIN" ] && [ "$v" -gt "$best_v" ]; then best=$home best_v=$v; fi
done
# A java on PATH counts too (conda's openjdk, Homebrew).
if [ -z "$best" ] && command -v javac >/dev/null 2>&1; then
  home=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
  v=$(feature_version "$home")
  [ "$v" -ge "$MIN" ] && best=$home
fi

if [ -z "$best" ]; then
  cat >&2 <<MSG
NormLab needs a JDK $MIN or newer and found none.
  Looked at: \$JAVA_HOME (${JAVA_HOME:-unset}), /usr/lib/jvm/*, /usr/java/*, /opt/java/*, macOS JavaVirtualMachines, SDKMAN, javac on PATH.
  Get one, then run make again (or point JAVA_HOME at it):
    Debian/Ubuntu:  apt-get install openjdk-21-jdk   (or temurin-21-jdk from the Adoptium apt repository)
    conda:          conda install -c conda-forge openjdk=21
    macOS:          brew install openjdk@21
    SDKMAN:         sdk install java 21-tem
MSG
  exit 1
fi
echo "$best"
