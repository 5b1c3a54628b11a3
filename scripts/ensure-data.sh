#!/usr/bin/env bash
# Makes sure Fashion-MNIST is present and verified. Usage: ensure-data.sh JAVA_HOME
# 1. already there (Debian package, $NORMLAB_DATA or the user cache)?  2. install Debian's dataset-fashion-mnist
# when apt-get is usable (root or passwordless sudo).  3. let NormLab download it from the official source.
set -euo pipefail
cd "$(dirname "$0")/.."
jdk=${1:?usage: ensure-data.sh JAVA_HOME}
normlab() { "$jdk/bin/java" --enable-native-access=ALL-UNNAMED -jar target/normlab.jar "$@"; }

if NORMLAB_OFFLINE=1 normlab data 2>/dev/null; then exit 0; fi

if command -v apt-get >/dev/null 2>&1; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"; else sudo="none"; fi
  fi
  if [ "$sudo" != none ]; then
    echo "data: installing Debian's dataset-fashion-mnist"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get install -y -q dataset-fashion-mnist >/dev/null 2>&1 ||
      { $sudo apt-get update -q >/dev/null 2>&1 && $sudo apt-get install -y -q dataset-fashion-mnist >/dev/null; } ||
      echo "data: apt-get could not install dataset-fashion-mnist; trying the download" >&2
  fi
fi
normlab data
