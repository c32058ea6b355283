# Shared by the launchers: find Java 25 and build the project when the sources are newer than the jars.
# Every fork costs a CLI start ~5 ms idle and 30-50 ms on a loaded machine, so the hot path here
# uses bash builtins only (bench/cli/RESULTS.md: the launcher went from ~20 forks to one).
case "${BASH_SOURCE[0]}" in
  /*/bin/lib/common.sh) BERTH_HOME="${BASH_SOURCE[0]%/bin/lib/common.sh}" ;;
  *) BERTH_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)" ;;
esac

# The JVM takes its file-name encoding from the locale, and image layers carry UTF-8 names:
# without a UTF-8 locale the engine would have to refuse them.
case "${LC_ALL:-${LC_CTYPE:-${LANG:-}}}" in
  *UTF-8*|*utf8*|*UTF8*|*utf-8*) ;;
  *) export LC_ALL=C.UTF-8 ;;
esac

# The JDK's `release` file names its version; starting a JVM to ask costs ~60 ms on every launch.
java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -n1
}

# Sets JAVA_MAJOR from the JDK's release file, read with builtins (no subshell, no sed).
java_major_into() {
  local release line
  JAVA_MAJOR=""
  release="${1%/bin/java}/release"
  if [ -f "$release" ]; then
    while IFS= read -r line || [ -n "$line" ]; do
      if [[ "$line" =~ ^JAVA_VERSION=\"([0-9]+) ]]; then
        JAVA_MAJOR="${BASH_REMATCH[1]}"
        return
      fi
    done <"$release"
  fi
  JAVA_MAJOR="$(java_major "$1")"
}

berth_find_java() {
  local c
  # JAVA_HOME first, and the PATH's java (a readlink) only if no JDK 25 was found before it.
  for c in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25* /usr/lib/jvm/java-25* /usr/lib/jvm/jdk-25* /opt/java/jdk-25* PATH; do
    if [ "$c" = PATH ]; then
      command -v java >/dev/null 2>&1 || continue
      c="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
    fi
    [ -n "$c" ] && [ -x "$c/bin/java" ] || continue
    java_major_into "$c/bin/java"
    if [ "$JAVA_MAJOR" -ge 25 ] 2>/dev/null; then
      export JAVA_HOME="$c"
      return 0
    fi
  done
  echo "berth: Java 25 or newer is required but was not found." >&2
  echo "  Install a JDK 25 (for example Eclipse Temurin 25) and set JAVA_HOME to it." >&2
  exit 1
}

# Builds the reactor when a jar is missing or anything the jars are made from (a module's src/main:
# Java, resources, the CLI's C; a pom) is newer than it. Only those: walking the whole checkout
# (tests, docs, bench) took 8.7 ms of every CLI start, these 3.3 ms (bench/cli/RESULTS.md).
# The reference is the jar or, when newer, its stamp "$1.built": the launcher's last build, which Maven
# may have finished without rewriting the jar (nothing in that module changed).
berth_stale() {
  local ref="$1"
  [ -f "$1" ] || return 0
  [ "$1.built" -nt "$1" ] && ref="$1.built"
  [ -n "$(find "$BERTH_HOME"/*/src/main "$BERTH_HOME"/pom.xml "$BERTH_HOME"/*/pom.xml -newer "$ref" -print -quit 2>/dev/null)" ]
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
    # Maven leaves an up-to-date jar untouched (a source saved without a change, or a change in
    # another module), which would otherwise trigger this build on every launch. The stamp records
    # the build; touching the jar instead would void the start-up caches made from it (the JVM
    # checks their jars' times).
    if berth_stale "$jar"; then
      touch "$jar.built"
    fi
  fi
  flock -u 9
}
