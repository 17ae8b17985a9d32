#!/bin/sh
# Times `saguard helm test CHART` beside bare `helm template test CHART`, alternating the two,
# and prints each median and their ratio: what saguard costs on top of the render it needs.
#
#   bench/helm/run.sh [SAGUARD] [CHART] [REPETITIONS]
#
# SAGUARD defaults to build/src/cli/saguard, CHART to ../shared/corpus/helm/kyverno (the largest
# corpus chart), REPETITIONS to 15. helm is $HELM_BIN, else the first helm on PATH after the
# repository's .tools/bin. No timed assertion anywhere: this prints numbers, it does not judge.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
saguard=${1:-$repo/build/src/cli/saguard}
chart=${2:-$repo/../shared/corpus/helm/kyverno}
reps=${3:-15}
PATH="$repo/.tools/bin:$PATH"
export PATH
helm=${HELM_BIN:-$(command -v helm || true)}

if [ ! -x "$saguard" ]; then
  echo "bench/helm: no saguard at $saguard (build the saguard target)" >&2
  exit 2
fi
if [ -z "$helm" ] || [ ! -x "$helm" ]; then
  echo "bench/helm: helm not found (set HELM_BIN or run scripts/install-tools.sh)" >&2
  exit 2
fi
export HELM_BIN="$helm"

now_ns() { date +%s%N; }

# Milliseconds one command takes; its output is discarded, saguard's exit 1 (findings) is fine.
time_ms() {
  start=$(now_ns)
  status=0
  "$@" >/dev/null 2>&1 || status=$?
  end=$(now_ns)
  if [ "$status" -gt 1 ]; then
    echo "bench/helm: '$*' failed with exit $status" >&2
    exit 2
  fi
  echo $(( (end - start) / 1000000 ))
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

helm_times=$(mktemp)
saguard_times=$(mktemp)
trap 'rm -f "$helm_times" "$saguard_times"' EXIT

# One unmeasured round warms the page cache and helm's chart loading.
time_ms "$helm" template test "$chart" >/dev/null
time_ms "$saguard" helm test "$chart" --format json >/dev/null

i=0
while [ "$i" -lt "$reps" ]; do
  # Alternate which goes first, so drift (thermal, other load) hits both alike.
  if [ $((i % 2)) -eq 0 ]; then
    time_ms "$helm" template test "$chart" >>"$helm_times"
    time_ms "$saguard" helm test "$chart" --format json >>"$saguard_times"
  else
    time_ms "$saguard" helm test "$chart" --format json >>"$saguard_times"
    time_ms "$helm" template test "$chart" >>"$helm_times"
  fi
  i=$((i + 1))
done

h=$(median <"$helm_times")
s=$(median <"$saguard_times")
lines=$("$helm" template test "$chart" 2>/dev/null | wc -l)
echo "chart:                      $chart ($lines rendered lines)"
echo "repetitions:                $reps, alternating"
echo "helm template (median):     $h ms"
echo "saguard helm (median):      $s ms"
awk -v s="$s" -v h="$h" 'BEGIN {
  printf "saguard / helm template:    %.2f\n", (h > 0 ? s / h : 0)
  printf "cost over the render:       %d ms\n", s - h
}'
