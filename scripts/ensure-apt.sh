#!/usr/bin/env bash
# Installs Debian packages that a step needs, only when their command is missing, and only where apt-get may run
# (root or passwordless sudo). Usage: ensure-apt.sh COMMAND=PACKAGE...   e.g. ensure-apt.sh shellcheck=shellcheck
# Exit status 0 when every command is there afterwards, 1 (with a message saying what to install) otherwise.
set -euo pipefail
missing=()
for pair in "$@"; do
  cmd=${pair%%=*} pkg=${pair#*=}
  command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"; else sudo="none"; fi
fi
if ! command -v apt-get >/dev/null 2>&1 || [ "$sudo" = none ]; then
  echo "ensure-apt: ${missing[*]} missing and apt-get is not usable here; install them (apt-get install ${missing[*]})." >&2
  exit 1
fi
echo "ensure-apt: installing ${missing[*]} (apt-get)"
export DEBIAN_FRONTEND=noninteractive
# The package lists may be stale or absent on a fresh machine: update first, then install.
$sudo apt-get update -q >/dev/null
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
for pair in "$@"; do
  command -v "${pair%%=*}" >/dev/null 2>&1 || { echo "ensure-apt: ${pair#*=} installed but ${pair%%=*} is still not on PATH" >&2; exit 1; }
done
