#!/bin/sh
# Builds kona-shim into $1, statically linked so it runs on any Linux host of the architecture.
# musl (Debian's musl-tools) when present: the monitor then stays near 200 kB resident instead of
# ~900 kB with static glibc, whose startup touches most of a 1 MB binary. musl ships no kernel
# headers, so the host's linux/ and asm/ directories are put on its include path.
set -eu
out="$1"
src="$(dirname "$0")"
flags="-std=gnu11 -Os -Wall -Wextra -Wno-unused-parameter -Werror -static -ffunction-sections -fdata-sections -Wl,--gc-sections"
mkdir -p "$out"
if command -v musl-gcc >/dev/null 2>&1; then
  headers="$(mktemp -d)"
  trap 'rm -rf "$headers"' EXIT
  multiarch="$(gcc -print-multiarch)"
  ln -sfn /usr/include/linux "$headers/linux"
  ln -sfn /usr/include/asm-generic "$headers/asm-generic"
  ln -sfn "/usr/include/$multiarch/asm" "$headers/asm"
  # shellcheck disable=SC2086
  musl-gcc $flags -isystem "$headers" -o "$out/kona-shim" "$src"/*.c
else
  # shellcheck disable=SC2086
  gcc $flags -o "$out/kona-shim" "$src"/*.c
fi
