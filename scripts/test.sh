#!/usr/bin/env bash
# scripts/test.sh - set up, build and run every test (what CI runs).
#
#   scripts/test.sh            # setup.sh, CMake+Ninja build into build/, ctest, then
#                              # scripts/sanitize.sh (ctest under ASan+UBSan, 60 s of fuzzing)
#
# Tests see .tools/bin first on PATH (helm, kubectl) and find the SARIF
# validator's npm packages through SAGUARD_SARIF_TOOLS. SAGUARD_BUILD_DIR
# overrides the build folder (default: build/ in the repository).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${SAGUARD_BUILD_DIR:-$REPO/build}"
cd "$REPO"

bash "$REPO/scripts/setup.sh"

export PATH="$REPO/.tools/bin:$PATH"
export SAGUARD_SARIF_TOOLS="$REPO/.sarif-tools/node_modules"

# A build folder that already exists keeps its generator; a new one gets Ninja.
generator=()
[[ -f "$BUILD_DIR/CMakeCache.txt" ]] || generator=(-G Ninja)
cmake -S "$REPO" -B "$BUILD_DIR" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$BUILD_DIR" --parallel "$(nproc)"

(cd "$BUILD_DIR" && ctest --output-on-failure -j2 --timeout 300 --no-tests=error)

# The same suite under ASan+UBSan, then the fuzzer for a bounded time (SAGUARD_SANITIZE=0 skips
# both, for a quick local run).
if [[ "${SAGUARD_SANITIZE:-1}" != 0 ]]; then
  bash "$REPO/scripts/sanitize.sh"
fi
