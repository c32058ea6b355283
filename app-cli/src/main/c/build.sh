#!/bin/sh
# Builds the CLI's native Unix socket (berth_unix_socket.c) into $1, for the JDK at $2. Optional:
# without a C compiler the CLI uses the JDK's socket, which starts slower (bench/cli/RESULTS.md).
set -eu
out="$1"
jdk="$2"
src="$(dirname "$0")/berth_unix_socket.c"
lib="$out/libberth-cli.so"
mkdir -p "$out"
if ! command -v gcc >/dev/null 2>&1; then
  echo "[berth] no gcc: the CLI will use the JDK's Unix socket (apt-get install gcc libc6-dev for the faster one)"
  rm -f "$lib"
  exit 0
fi
[ -f "$lib" ] && [ "$lib" -nt "$src" ] && exit 0
gcc -shared -fPIC -O2 -Wall -Werror -I"$jdk/include" -I"$jdk/include/linux" -o "$lib.tmp" "$src"
mv -f "$lib.tmp" "$lib"
