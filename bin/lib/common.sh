# Shared by the launchers: find Java 25 and build the project when the sources are newer than the jars.
BERTH_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# The JVM takes its file-name encoding from the locale, and image layers carry UTF-8 names:
# without a UTF-8 locale the engine would have to refuse them.
case "${LC_ALL:-${LC_CTYPE:-${LANG:-}}}" in
  *UTF-8*|*utf8*|*UTF8*|*utf-8*) ;;
  *) export LC_ALL=C.UTF-8 ;;
esac

# The JDK's `release` file names its version; starting a JVM to ask costs ~60 ms on every launch.
java_major() {
  local release v
  release="$(dirname "$(dirname "$1")")/release"
  if [ -f "$release" ]; then
    v="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release" | head -n1)"
    if [ -n "$v" ]; then
      echo "$v"
      return
    fi
  fi
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -n1
}

berth_find_java() {
  local candidates=() c
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  for c in /usr/lib/jvm/temurin-25* /usr/lib/jvm/java-25* /usr/lib/jvm/jdk-25* /opt/java/jdk-25*; do
    [ -d "$c" ] && candidates+=("$c")
  done
  command -v java >/dev/null 2>&1 && candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  for c in "${candidates[@]}"; do
    if [ -x "$c/bin/java" ] && [ "$(java_major "$c/bin/java")" -ge 25 ] 2>/dev/null; then
      export JAVA_HOME="$c"
      return 0
    fi
  done
  echo "berth: Java 25 or newer is required but was not found." >&2
  echo "  Install a JDK 25 (for example Eclipse Temurin 25) and set JAVA_HOME to it." >&2
  exit 1
}

# Builds the reactor when a jar is missing or any source or pom is newer than it.
berth_stale() {
  [ ! -f "$1" ] || [ -n "$(find "$BERTH_HOME" -path "$BERTH_HOME/.git" -prune -o \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -newer "$1" -print -quit)" ]
}

berth_ensure_built() {
  local jar="$1"
  berth_stale "$jar" || return 0
  # Two launchers starting at once (the app and a daemon) must not build over each other.
  exec 9>"$BERTH_HOME/.build.lock"
  flock 9
  if berth_stale "$jar"; then
    if ! command -v mvn >/dev/null 2>&1; then
      echo "berth: Apache Maven is needed to build Berth on first use (apt-get install maven)." >&2
      exit 1
    fi
    echo "berth: building (first use or sources changed)..." >&2
    (cd "$BERTH_HOME" && mvn -q -B -o -DskipTests package >&2 2>/dev/null || mvn -q -B -DskipTests package >&2) || {
      echo "berth: build failed; run 'mvn -B -DskipTests package' in $BERTH_HOME to see why." >&2
      exit 1
    }
    # Maven leaves an up-to-date jar untouched, so a newer test source would otherwise
    # trigger this build on every launch.
    touch "$jar"
  fi
  flock -u 9
}
