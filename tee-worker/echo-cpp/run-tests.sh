#!/usr/bin/env bash
# Builds echo-cpp out of the source tree and runs its tests.
#
#   tee-worker/echo-cpp/run-tests.sh [BUILD_DIR]
#
# BUILD_DIR is created if needed and reused on later runs (an incremental build); without
# it a temporary directory is used and removed afterwards. Needs cmake, a C++17 compiler
# and python3. Exits non-zero if the build or any test fails.
set -euo pipefail

source_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if [[ $# -gt 1 ]]; then
  echo "usage: $0 [BUILD_DIR]" >&2
  exit 2
fi

if [[ $# -eq 1 ]]; then
  build_dir="$1"
else
  build_dir="$(mktemp -d "${TMPDIR:-/tmp}/echo-cpp-build.XXXXXX")"
  trap 'rm -rf "$build_dir"' EXIT
fi
mkdir -p "$build_dir"
build_dir="$(cd "$build_dir" && pwd)"

# An in-source build would litter the repository with CMake's files.
if [[ "$build_dir" == "$source_dir" ]]; then
  echo "$0: BUILD_DIR must not be the source directory $source_dir" >&2
  exit 2
fi

for tool in cmake python3; do
  if ! command -v "$tool" >/dev/null; then
    echo "$0: $tool not found (Debian: apt-get install -y $tool)" >&2
    exit 1
  fi
done

cmake -S "$source_dir" -B "$build_dir"
cmake --build "$build_dir" --parallel "$(nproc 2>/dev/null || echo 2)"
python3 "$source_dir/tests/echo_test.py" --binary "$build_dir/echo-cpp" -v
