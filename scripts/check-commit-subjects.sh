#!/usr/bin/env bash
# Names the commits whose subject line is longer than 72 characters, and exits 1 if there is any.
# For developers, before pushing (not wired into CI). Usage:
#   scripts/check-commit-subjects.sh [REVISION-RANGE]      e.g. origin/main..HEAD, HEAD~5..HEAD, v1.0..
# Without a range: the commits since the merge-base of HEAD with origin/main when there is an origin/main,
# else the last 20 commits. Characters are counted, not bytes (a subject may hold →, σ or ×).
# Exit status: 0 all subjects fit, 1 some are too long, 2 bad usage or not a git repository.
set -euo pipefail

readonly MAX=72

usage() { sed -n '2,7s/^# \{0,1\}//p' "$0"; }

case "${1:-}" in
  -h|--help) usage; exit 0 ;;
  -*) echo "check-commit-subjects: unknown option $1" >&2; usage >&2; exit 2 ;;
esac
if [ "$#" -gt 1 ]; then
  echo "check-commit-subjects: expected at most one revision range, got $#" >&2
  exit 2
fi

if ! git rev-parse --git-dir >/dev/null 2>&1; then
  echo "check-commit-subjects: not inside a git repository" >&2
  exit 2
fi

# Count characters in UTF-8 whatever the caller's locale.
for utf8 in C.UTF-8 C.utf8 en_US.UTF-8; do
  if locale -a 2>/dev/null | grep -qix "$utf8"; then export LC_ALL="$utf8"; break; fi
done

if [ "$#" -eq 1 ]; then
  range=("$1")
  described="$1"
elif base=$(git merge-base HEAD origin/main 2>/dev/null); then
  range=("$base..HEAD")
  described="since the merge-base with origin/main ($(git rev-parse --short "$base"))"
else
  range=(-n 20 HEAD)
  described="the last 20 commits"
fi

if ! log=$(git log --format='%h%x09%s' "${range[@]}" --); then
  echo "check-commit-subjects: git log failed for ${described}" >&2
  exit 2
fi

checked=0 long=0
while IFS=$'\t' read -r hash subject; do
  [ -n "$hash" ] || continue
  checked=$((checked + 1))
  if [ "${#subject}" -gt "$MAX" ]; then
    long=$((long + 1))
    printf '%s  %d characters: %s\n' "$hash" "${#subject}" "$subject"
  fi
done <<< "$log"

if [ "$long" -gt 0 ]; then
  echo "check-commit-subjects: $long of $checked commits (${described}) have a subject over $MAX characters;" \
    "reword them (git rebase -i, 'reword') before pushing" >&2
  exit 1
fi
echo "check-commit-subjects: $checked commits (${described}), every subject at most $MAX characters"
