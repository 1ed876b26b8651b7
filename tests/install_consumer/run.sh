#!/usr/bin/env bash
# CTest install.consumer: `cmake --install` the build into a temporary prefix, configure and
# build tests/install_consumer/ against it with find_package(spmc), run the result and the
# installed `spmc`. Every temporary directory is removed on exit, pass or fail.
# usage: run.sh CMAKE BUILD_DIR GENERATOR
set -euo pipefail
cmake_bin=$1
build_dir=$2
generator=$3
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/spmc_install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

"$cmake_bin" --install "$build_dir" --prefix "$tmp/prefix" > "$tmp/install.log" ||
  { cat "$tmp/install.log"; exit 1; }
test -f "$tmp/prefix/lib/cmake/spmc/spmcConfig.cmake" -o \
     -f "$tmp/prefix/lib64/cmake/spmc/spmcConfig.cmake" ||
  { echo "FAIL: no spmcConfig.cmake installed"; exit 1; }
"$cmake_bin" -S "$here" -B "$tmp/build" -G "$generator" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$tmp/prefix" > "$tmp/configure.log" ||
  { cat "$tmp/configure.log"; exit 1; }
"$cmake_bin" --build "$tmp/build" > "$tmp/build.log" || { cat "$tmp/build.log"; exit 1; }
"$tmp/build/spmc_consumer"
"$tmp/build/spmc_consumer_sim"
"$tmp/prefix/bin/spmc" names > /dev/null
echo "PASS: a consumer built with find_package(spmc) against the installed tree"
