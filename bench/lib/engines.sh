# Shared by bench/run/run and bench/memory/run: Berth's daemon and the Docker engine (Debian docker.io's
# dockerd, with the containerd it starts) side by side under one temp dir, each on its own socket, data
# root and exec root, with no bridge and no iptables rules, so neither touches the host's engines.
# Both are driven by the same docker CLI (the first `docker` on PATH). Source it, then call engines_init.
#
# Environment: BERTH_HOME (the checkout whose Berth is measured), BERTH_JAVA_OPTS (extra JVM options
# for Berth's daemon), KEEP_WORKDIR=1 (keep logs and data).

DOCKERD_PID="" BERTH_PID="" BERTH_B_PID=""
declare -A SOCK=() HOW=()

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

stop_pid() { # pid name seconds
  local pid="$1" name="$2" secs="$3" i
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < secs * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.1
  done
  log "$name did not stop within ${secs}s: killing it"
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

wait_until() { # seconds pid what command...
  local secs="$1" pid="$2" what="$3" i
  shift 3
  for ((i = 0; i < secs * 20; i++)); do
    "$@" >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || die "$what exited while starting (see $LOGS)"
    sleep 0.05
  done
  die "$what not ready within ${secs}s"
}

# engines_init DIR: the work dir (short: socket paths are limited to 108 bytes).
engines_init() {
  W="$1"
  LOGS="$W/logs"
  mkdir -p "$LOGS"
  export DOCKER_CONFIG="$W/cli"   # never the user's config or contexts
  mkdir -p "$DOCKER_CONFIG"
  unset DOCKER_HOST DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH
  SOCK=([docker]="$W/docker.sock" [berth]="$W/berth.sock" [berth-b]="$W/berth-b.sock")
  trap engines_cleanup EXIT
  trap 'exit 130' INT TERM
}

engines_require() {
  local c
  for c in docker dockerd python3 timeout; do
    command -v "$c" >/dev/null || die "$c is needed (dockerd: apt-get install docker.io)"
  done
  [ "$(id -u)" = 0 ] || die "the engines need root"
}

# Any container left on an engine, then the daemons, then mounts under W.
engines_cleanup() {
  local rc=$? t cpid
  trap - EXIT INT TERM
  for t in berth berth-b docker; do
    [ -S "${SOCK[$t]:-/nonexistent}" ] || continue
    local ids
    ids="$(timeout 30 docker -H "unix://${SOCK[$t]}" ps -aq 2>/dev/null || true)"
    [ -n "$ids" ] && timeout 60 docker -H "unix://${SOCK[$t]}" rm -f $ids >/dev/null 2>&1
  done
  stop_pid "$BERTH_PID" "berth daemon" 20
  stop_pid "$BERTH_B_PID" "berth-b daemon" 20
  stop_pid "$DOCKERD_PID" dockerd 30
  # dockerd normally stops the containerd it started; make sure, by its own pid file.
  cpid="$(cat "$W/de/containerd/containerd.pid" 2>/dev/null || true)"
  [ -n "$cpid" ] && stop_pid "$cpid" containerd 10
  awk -v w="$W/" 'index($5, w) == 1 { print $5 }' /proc/self/mountinfo | sort -r | while read -r m; do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
  done
  if [ "${KEEP_WORKDIR:-0}" = 1 ]; then
    log "kept $W"
  else
    rm -rf "$W"
  fi
  exit "$rc"
}

start_dockerd() {
  dockerd --data-root "$W/dd" --exec-root "$W/de" --host "unix://${SOCK[docker]}" \
    --pidfile "$W/docker.pid" --bridge=none --iptables=false --ip6tables=false --storage-driver=overlay2 \
    --log-level=warn >"$LOGS/dockerd.log" 2>&1 &
  DOCKERD_PID=$!
  wait_until 60 "$DOCKERD_PID" dockerd docker -H "unix://${SOCK[docker]}" version
  HOW[docker]="dockerd $(docker -H "unix://${SOCK[docker]}" version -f '{{.Server.Version}}') (Debian docker.io), runc $(runc --version | sed -n 's/^runc version //p')"
  log "docker: ${HOW[docker]} on ${SOCK[docker]}"
}

# The containerd that dockerd started (its child, with the pid file under the exec root).
containerd_pid() {
  cat "$W/de/containerd/containerd.pid" 2>/dev/null || pgrep -P "$DOCKERD_PID" -x containerd | head -n1
}

start_berth() { # tool home java-opts: sets STARTED_PID
  local tool="$1" home="$2" opts="$3"
  [ -x "$home/bin/berth" ] || die "no $home/bin/berth"
  LANG=C.UTF-8 BERTH_JAVA_OPTS="$opts" \
    "$home/bin/berth" daemon -H "unix://${SOCK[$tool]}" --data-root "$W/$tool-data" >"$LOGS/$tool.log" 2>&1 &
  STARTED_PID=$!
  wait_until 120 "$STARTED_PID" "$tool daemon" docker -H "unix://${SOCK[$tool]}" version
  HOW[$tool]="$home/bin/berth daemon at $(git -C "$home" rev-parse --short HEAD 2>/dev/null || echo '(not a git checkout)')${opts:+ with BERTH_JAVA_OPTS=\"$opts\"}"
  log "$tool: ${HOW[$tool]} on ${SOCK[$tool]}"
}

# The JVM's pid: bin/berth execs java, so the launched pid is the JVM itself.
berth_jvm_pid() { echo "$1"; }

load_image() { # tool archive ref
  timeout 120 docker -H "unix://${SOCK[$1]}" load -i "$2" >"$LOGS/load-$1.log" 2>&1 || { cat "$LOGS/load-$1.log" >&2; die "$1: docker load"; }
  docker -H "unix://${SOCK[$1]}" image inspect -f '{{.Id}}' "$3" >/dev/null || die "$1: $3 missing after load"
}
