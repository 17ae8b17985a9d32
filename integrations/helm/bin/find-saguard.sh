# find-saguard.sh - sourced by the Helm plugin's scripts: sets SAGUARD to the saguard binary.
#
# The caller sets PLUGIN_BIN to the real folder of its own script (<repo>/integrations/helm/bin,
# whether helm installed <repo>/integrations/helm or the repository root, and whether as a
# symlink to a local folder or as a copy of a git clone).
#
# Looks, in order, at $SAGUARD_BIN, `saguard` on PATH, the one the install hook downloaded
# (beside this file), the one of an installed package (<prefix>/bin, when the plugin is
# <prefix>/share/saguard/helm), and the build folders of that repository.

saguard_repo() {
  (cd -P "$PLUGIN_BIN/../../.." 2>/dev/null && pwd -P)
}

find_saguard() {
  SAGUARD=""
  if [ -n "${SAGUARD_BIN:-}" ]; then
    if [ -x "$SAGUARD_BIN" ]; then SAGUARD="$SAGUARD_BIN"; return 0; fi
    echo "saguard: SAGUARD_BIN=$SAGUARD_BIN is not an executable file" >&2
    return 1
  fi
  if command -v saguard >/dev/null 2>&1; then
    SAGUARD="$(command -v saguard)"
    return 0
  fi
  if [ -x "$PLUGIN_BIN/saguard" ]; then SAGUARD="$PLUGIN_BIN/saguard"; return 0; fi
  case "$PLUGIN_BIN" in
    */share/saguard/helm/bin)
      if [ -x "${PLUGIN_BIN%/share/saguard/helm/bin}/bin/saguard" ]; then
        SAGUARD="${PLUGIN_BIN%/share/saguard/helm/bin}/bin/saguard"
        return 0
      fi ;;
  esac
  repo="$(saguard_repo)"
  if [ -n "$repo" ]; then
    for candidate in "$repo/build/src/cli/saguard" "$repo"/build-*/src/cli/saguard; do
      if [ -x "$candidate" ]; then SAGUARD="$candidate"; return 0; fi
    done
  fi
  return 1
}
