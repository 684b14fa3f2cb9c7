# Sourced by mvnw and .ci/run: makes JAVA_HOME point at a JDK of version 21 or newer.
# Keeps a JAVA_HOME that is already new enough; otherwise looks in the usual install locations.
# shellcheck shell=sh

jdk_feature() {
  # prints the feature version (17, 21, 25, ...) of the java binary given, or nothing
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

select_jdk() {
  min=21
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    v=$(jdk_feature "$JAVA_HOME/bin/java")
    if [ -n "$v" ] && [ "$v" -ge "$min" ]; then return 0; fi
  fi
  best=""; best_v=0
  for dir in /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")"; do
    [ -x "$dir/bin/java" ] && [ -x "$dir/bin/javac" ] || continue
    v=$(jdk_feature "$dir/bin/java")
    [ -n "$v" ] || continue
    if [ "$v" -ge "$min" ] && [ "$v" -gt "$best_v" ]; then best="$dir"; best_v="$v"; fi
  done
  if [ -z "$best" ]; then
    echo "error: this build needs a JDK 21 or newer, and none was found (JAVA_HOME=${JAVA_HOME:-unset}; looked in /usr/lib/jvm and /opt)." >&2
    echo "Install one (for example: apt-get install openjdk-21-jdk-headless) or set JAVA_HOME to it." >&2
    return 1
  fi
  JAVA_HOME="$best"; export JAVA_HOME
}
