#!/usr/bin/env bash
# Prints the home of a JDK that runs both NormLab (Java 21+) and Spark 4.2 (Java 17, 21, or 25 from 25.0.3 on; Spark
# deprecates 25.0.0-25.0.2 for a G1 data-corruption bug and does not support 22-24): $NORMLAB_SPARK_JAVA_HOME, else
# $JAVA_HOME, else the first of /usr/lib/jvm/* and the other usual folders that fits. A one-line error otherwise.
set -euo pipefail
fits() {  # JDK home -> exit 0 if Spark 4.2 and NormLab both run on it
  local home=$1 v
  [ -x "$home/bin/java" ] || return 1
  v=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release" 2>/dev/null)
  [ -n "$v" ] || v=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n1)
  local major=${v%%[.+-]*} rest=${v#*.} minor patch
  minor=${rest%%.*}; patch=${rest#*.}; patch=${patch%%[.+-]*}
  [ "$rest" = "$v" ] && minor=0 patch=0
  case "$major" in
    21) return 0 ;;
    25) [ "${minor:-0}" -gt 0 ] || [ "${patch:-0}" -ge 3 ] ;;
    *) return 1 ;;
  esac
}
tried=()
for home in ${NORMLAB_SPARK_JAVA_HOME:-} ${JAVA_HOME:-} /usr/lib/jvm/* /usr/java/* /opt/java/* "$HOME"/.sdkman/candidates/java/*; do
  [ -d "$home" ] || continue
  if fits "$home"; then echo "$home"; exit 0; fi
  tried+=("$home")
done
echo "spark-jdk: Spark 4.2 with NormLab needs JDK 21 or JDK 25.0.3+; none of ${tried[*]:-no JDK found} fits (set NORMLAB_SPARK_JAVA_HOME)" >&2
exit 1
