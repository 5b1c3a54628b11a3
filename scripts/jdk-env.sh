# Sourced by the other scripts: JAVA_HOME and PATH for a JDK >= 21 (see find-jdk.sh), and quiet Maven on JDK 24+.
jdk=$(scripts/find-jdk.sh)
export JAVA_HOME=$jdk PATH="$jdk/bin:$PATH"
jdk_feature=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$jdk/release" 2>/dev/null || true)
if [ "${jdk_feature:-0}" -ge 24 ]; then
  # Maven's bundled Guava calls sun.misc.Unsafe, which JDK 24+ warns about on every build.
  case "${MAVEN_OPTS:-}" in *sun-misc-unsafe-memory-access*) ;; *) export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ;; esac
fi
