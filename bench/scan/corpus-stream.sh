#!/usr/bin/env bash
# Writes a stream of real manifests: every ../shared/corpus render (MANIFEST.md commands, real
# helm and kubectl) repeated COPIES times (default 20: ~10,000 objects, ~140 MB).
#   bench/scan/corpus-stream.sh OUT [COPIES]
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CORPUS="${SAGUARD_SHARED_DIR:-$REPO/../shared}/corpus"
OUT="$1"
COPIES="${2:-20}"
export PATH="$REPO/.tools/bin:$PATH"
one="$(mktemp)"
trap 'rm -f "$one"' EXIT
for chart in "$CORPUS"/helm/*/; do
  args=()
  [[ "$(basename "$chart")" == external-dns ]] && args=(--set policy=sync)
  helm template test "$chart" "${args[@]}" >>"$one"
done
for overlay in argo-cd/cluster-install argo-workflows/quick-start/base microservices-demo \
  metrics-server/overlays/release podinfo/overlays/production descheduler/cronjob \
  kubebuilder-project-v4/default kubeflow-profiles/overlays/kubeflow \
  kustomize-ldap/overlays/production kustomize-multibases; do
  printf -- '---\n' >>"$one"
  kubectl kustomize "$CORPUS/kustomize/$overlay" >>"$one"
done
: >"$OUT"
for _ in $(seq "$COPIES"); do
  cat "$one" >>"$OUT"
  printf -- '---\n' >>"$OUT"
done
