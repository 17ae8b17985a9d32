#!/usr/bin/env bash
# scripts/run-example.sh - set up, build saguard and scan the bundled example.
#
#   scripts/run-example.sh [PATH [saguard options...]]   # default PATH: examples/chart
#
# Prints saguard's text report. Findings (saguard exit 1) are what the demo
# is meant to show, so they exit 0; a usage or run-time error (exit 2) is
# passed on. SAGUARD_BUILD_DIR overrides the build folder (default: build/).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${SAGUARD_BUILD_DIR:-$REPO/build}"
example="examples/chart"
if (($#)); then
  example="$(realpath -m -- "$1")"   # a path given is relative to where we were called
  shift
fi
cd "$REPO"
[[ -e "$example" ]] || { echo "run-example: example '$example' not found" >&2; exit 2; }

# Set-up and build logs go to stderr; stdout carries only saguard's report.
bash "$REPO/scripts/setup.sh" >&2

export PATH="$REPO/.tools/bin:$PATH"   # saguard runs helm / kubectl from here

generator=()
[[ -f "$BUILD_DIR/CMakeCache.txt" ]] || generator=(-G Ninja)
cmake -S "$REPO" -B "$BUILD_DIR" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo >&2
cmake --build "$BUILD_DIR" --parallel "$(nproc)" --target saguard >&2

saguard="$BUILD_DIR/src/cli/saguard"
[[ -x "$saguard" ]] || { echo "run-example: $saguard was not built" >&2; exit 2; }

echo "\$ saguard $example $*" >&2
status=0
"$saguard" "$example" "$@" || status=$?
case "$status" in
  0) echo "run-example: saguard found nothing (exit 0)" >&2; exit 0 ;;
  1) echo "run-example: saguard reported findings (exit 1), as the demo expects" >&2; exit 0 ;;
  *) echo "run-example: saguard failed (exit $status)" >&2; exit "$status" ;;
esac
