#!/bin/sh
# saguard-helm.sh - what `helm saguard ...` runs: `saguard helm ...` with helm's settings.
#
# Helm runs plugins with HELM_BIN (the helm the user ran) and takes -n/--namespace,
# --kube-context, --debug... out of the plugin's arguments into HELM_NAMESPACE,
# HELM_KUBECONTEXT, HELM_DEBUG. saguard renders with $HELM_BIN, and the namespace goes back
# on its command line: saguard passes it to `helm template` and gives it to objects without one.
set -eu

PLUGIN_BIN="$(cd -P "$(dirname "$0")" && pwd -P)"
. "$PLUGIN_BIN/find-saguard.sh"
if ! find_saguard; then
  echo "helm saguard: no saguard binary found: put saguard on PATH or set SAGUARD_BIN" >&2
  echo "  (or build it: cmake --build <repo>/build --target saguard)" >&2
  exit 2
fi

if [ -n "${HELM_BIN:-}" ]; then
  export HELM_BIN
fi

case "${1:-}" in
  # saguard's own commands that make sense from helm.
  rules | merge | --version)
    exec "$SAGUARD" "$@" ;;
esac

if [ -n "${HELM_NAMESPACE:-}" ]; then
  exec "$SAGUARD" helm --namespace "$HELM_NAMESPACE" "$@"
fi
exec "$SAGUARD" helm "$@"
