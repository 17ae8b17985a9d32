#!/usr/bin/env bash
# scripts/sanitize.sh - the test suite under ASan+UBSan, then the fuzzer for a bounded time
# (scripts/test.sh runs it after the normal build and tests; CI fails on any finding).
#
#   scripts/sanitize.sh                    # build-sanitize/, ctest, 60 s of fuzzing
#   SAGUARD_FUZZ_SECONDS=600 scripts/sanitize.sh
#
# The tree is the `sanitize` CMake preset: clang, no debug information, no benchmarks; the
# libraries at -O1 (the fuzzer's speed), the tests and the command line at -O0 (half the compile
# time). It builds and runs the tests where the sanitizers find bugs: every layer's unit tests,
# the in-process runs over the corpus renders, the command line's and the hostile inputs'; the
# end-to-end, integration and release tests run in the normal build only (tests/CMakeLists.txt
# lists why). The fuzzer's first pass replays the seed corpus: the test fixtures, the corpus'
# kustomize files and helm's render of every corpus chart.
# A crash the fuzzer finds is left in build-sanitize/fuzz-artifacts/ and fails the script; it
# belongs in tests/model/HazardTest.cpp (or beside it) as a regression test.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${SAGUARD_SANITIZE_BUILD_DIR:-$REPO/build-sanitize}"
FUZZ_SECONDS="${SAGUARD_FUZZ_SECONDS:-60}"
SHARED_DIR="${SAGUARD_SHARED_DIR:-$REPO/../shared}"
cd "$REPO"

log() { printf 'sanitize: %s\n' "$*" >&2; }

export PATH="$REPO/.tools/bin:$PATH"
export SAGUARD_SARIF_TOOLS="$REPO/.sarif-tools/node_modules"
# Any report ends the process with an error; leaks count too.
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

t0=$(date +%s)
cmake --preset sanitize -B "$BUILD_DIR" >/dev/null
cmake --build "$BUILD_DIR" --parallel "$(nproc)"
t1=$(date +%s)
(cd "$BUILD_DIR" && ctest --output-on-failure -j2 --timeout 600 --no-tests=error)
t2=$(date +%s)

# Seed corpus: the test fixtures, the corpus' kustomize files, and helm renders of its charts.
seeds="$BUILD_DIR/fuzz-seeds"
corpus="$BUILD_DIR/fuzz-corpus"
artifacts="$BUILD_DIR/fuzz-artifacts"
rm -rf "$seeds" "$artifacts"
mkdir -p "$seeds" "$corpus" "$artifacts"
n=0
while IFS= read -r -d '' f; do
  cp "$f" "$seeds/seed-$((n++))"
done < <(find tests "$SHARED_DIR/corpus/kustomize" -type f \
           \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) -size -64k -print0 2>/dev/null)
if command -v helm >/dev/null 2>&1; then
  for chart in "$SHARED_DIR"/corpus/helm/*/; do
    name="$(basename "$chart")"
    args=()
    [[ "$name" == external-dns ]] && args=(--set policy=sync)
    timeout 60 helm template test "$chart" "${args[@]}" >"$seeds/render-$name.yaml" 2>/dev/null ||
      rm -f "$seeds/render-$name.yaml"
  done
fi
log "seed corpus: $(ls "$seeds" | wc -l) files"

fuzz_log="$BUILD_DIR/fuzz.log"
status=0
"$BUILD_DIR/fuzz/saguard_fuzzer" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 \
  -max_len=16384 -print_final_stats=1 -artifact_prefix="$artifacts/" \
  "$corpus" "$seeds" >"$fuzz_log" 2>&1 || status=$?
t3=$(date +%s)
grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb|^#[0-9]+ *DONE' "$fuzz_log" >&2 || true
log "times: build $((t1 - t0)) s, ctest $((t2 - t1)) s, fuzz $((t3 - t2)) s"
if ((status != 0)) || compgen -G "$artifacts/*" >/dev/null; then
  tail -n 60 "$fuzz_log" >&2
  log "the fuzzer found a problem (exit $status); inputs in $artifacts"
  exit 1
fi
