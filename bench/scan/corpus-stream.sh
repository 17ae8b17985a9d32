#!/usr/bin/env bash
# Writes a stream of real manifests: every corpus render of bench/corpus-targets.tsv (real helm
# and kubectl) repeated COPIES times (default 20: ~10,000 objects, ~140 MB).
#   bench/scan/corpus-stream.sh OUT [COPIES]
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CORPUS="${SAGUARD_SHARED_DIR:-$REPO/../shared}/corpus"
OUT="$1"
COPIES="${2:-20}"
export PATH="$REPO/.tools/bin:$PATH"
one="$(mktemp)"
trap 'rm -f "$one"' EXIT
while IFS=$'\t' read -r kind path flags; do
  [[ -z "$kind" || "$kind" == \#* ]] && continue
  read -ra args <<<"${flags:-}"
  printf -- '---\n' >>"$one"
  case "$kind" in
    helm) helm template test "$CORPUS/$path" "${args[@]}" >>"$one" ;;
    kustomize) kubectl kustomize "$CORPUS/$path" >>"$one" ;;
  esac
done <"$REPO/bench/corpus-targets.tsv"
: >"$OUT"
for _ in $(seq "$COPIES"); do
  cat "$one" >>"$OUT"
  printf -- '---\n' >>"$OUT"
done
