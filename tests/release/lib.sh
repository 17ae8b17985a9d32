# lib.sh - sourced by the release tests: assertions, scratch folders, a local release server.
# shellcheck shell=bash
#
# The tests get, from CTest's environment: SAGUARD_SOURCE_DIR, SAGUARD_BUILD_DIR,
# SAGUARD_BUILD_BINARY (the build's binary), SAGUARD_PACKAGES (where the Release.Packages
# fixture put the packages), SAGUARD_VERSION, SAGUARD_STATIC (ON/OFF), SAGUARD_SHARED_DIR.
set -euo pipefail

fail() {
  printf 'FAIL: %s\n' "$*" >&2
  exit 1
}

# expect_contains TEXT NEEDLE [WHAT]
expect_contains() {
  [[ "$1" == *"$2"* ]] || fail "${3:-output} does not contain '$2':"$'\n'"$1"
}

# A scratch folder removed when the test ends, in $SCRATCH.
SCRATCH="$(mktemp -d "${TMPDIR:-/tmp}/saguard-release-test.XXXXXX")"
cleanup_steps=("rm -rf '$SCRATCH'")
run_cleanup() {
  local i
  for ((i = ${#cleanup_steps[@]} - 1; i >= 0; i--)); do
    eval "${cleanup_steps[i]}" || true
  done
}
trap run_cleanup EXIT

TARBALL_NAME="saguard-$SAGUARD_VERSION-linux-amd64.tar.gz"
TARBALL="$SAGUARD_PACKAGES/$TARBALL_NAME"

# serve_release DIR TARBALL: a release folder DIR laid out as GitHub serves one
# (DIR/v<version>/<tarball> and its .sha256), served by a local HTTP server bound to 127.0.0.1
# on a free port; sets RELEASE_URL to the base URL the download scripts take.
serve_release() {
  local dir="$1" tarball="$2" log port=""
  mkdir -p "$dir/v$SAGUARD_VERSION"
  cp "$tarball" "$dir/v$SAGUARD_VERSION/$TARBALL_NAME"
  cp "$TARBALL.sha256" "$dir/v$SAGUARD_VERSION/$TARBALL_NAME.sha256"
  log="$dir.server.log"
  python3 -u -m http.server 0 --bind 127.0.0.1 --directory "$dir" >"$log" 2>&1 &
  local pid=$!
  cleanup_steps+=("kill $pid; wait $pid 2>/dev/null")
  for _ in $(seq 100); do
    port="$(sed -n 's/^Serving HTTP on 127\.0\.0\.1 port \([0-9]*\).*/\1/p' "$log")"
    [[ -n "$port" ]] && break
    kill -0 "$pid" 2>/dev/null || fail "the HTTP server did not start: $(cat "$log")"
    sleep 0.1
  done
  [[ -n "$port" ]] || fail "the HTTP server did not say its port: $(cat "$log")"
  RELEASE_URL="http://127.0.0.1:$port"
}

# tampered_copy TARBALL OUT: TARBALL with one byte of its gzip body changed.
tampered_copy() {
  cp "$1" "$2"
  local size
  size="$(stat -c %s "$2")"
  printf 'X' | dd of="$2" bs=1 seek=$((size / 2)) conv=notrunc status=none
}

# use_helm DIR: HELM is the real helm (the pinned one in .tools/bin, else the one on PATH),
# seeing only the plugin, data, config and cache folders under DIR and no cluster; PATH is
# that helm's folder and the system's, so no saguard is found on it.
use_helm() {
  HELM="$SAGUARD_SOURCE_DIR/.tools/bin/helm"
  [[ -x "$HELM" ]] || HELM="$(command -v helm)" || fail "helm not found (run scripts/install-tools.sh)"
  export HELM_PLUGINS="$1/plugins" HELM_DATA_HOME="$1/data" HELM_CONFIG_HOME="$1/config"
  export HELM_CACHE_HOME="$1/cache" KUBECONFIG="$1/no-kubeconfig"
  unset HELM_BIN HELM_NAMESPACE HELM_KUBECONTEXT SAGUARD_BIN
  mkdir -p "$HELM_PLUGINS"
  PATH="$(dirname "$HELM"):/usr/bin:/bin"
  ! command -v saguard >/dev/null || fail "a saguard is on PATH already: $(command -v saguard)"
}
