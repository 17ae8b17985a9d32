#!/bin/sh
# install.sh - the Helm plugin's install and update hook (helm runs `sh <this file>` with sh -c,
# in helm's current directory, with HELM_PLUGIN_DIR set).
#
# Makes sure `helm saguard` will find a saguard binary: $SAGUARD_BIN, `saguard` on PATH, one
# this hook downloaded before, the one of the installed package, or a build in the repository
# the plugin was installed from. When there is none (or the downloaded one is of another
# version, on update), it downloads the released binary of the plugin's version into this
# folder, checked against the release's sha256 (bin/download-release.sh; SAGUARD_DOWNLOAD_URL
# overrides where from), as helm-diff does. A hook that fails makes `helm plugin install`
# fail, so problems show at once.
set -eu

PLUGIN_BIN="$(cd -P "$(dirname "$0")" && pwd -P)"
# A plugin unpacked from an archive may have lost the executable bit helm needs.
chmod +x "$PLUGIN_BIN/saguard-helm.sh" 2>/dev/null || true
. "$PLUGIN_BIN/find-saguard.sh"

plugin_yaml="${HELM_PLUGIN_DIR:-$PLUGIN_BIN/..}/plugin.yaml"
version="$(sed -n 's/^version: *"\{0,1\}\([^"]*\)"\{0,1\} *$/\1/p' "$plugin_yaml" | head -n 1)"

if find_saguard; then
  # `saguard --version` starts with `saguard X.Y.Z`; the lines after it name LLVM and the renderers.
  found_version="$("$SAGUARD" --version 2>/dev/null | sed -n '1s/^saguard //p')"
  found_version="${found_version:-version unknown}"
  if [ "$SAGUARD" = "$PLUGIN_BIN/saguard" ] && [ "$found_version" != "$version" ]; then
    SAGUARD="" # downloaded for another version of the plugin: fetch this one's
  fi
  if [ -n "$SAGUARD" ]; then
    echo "saguard plugin: using $SAGUARD ($found_version)"
    exit 0
  fi
fi

if [ -z "$version" ]; then
  echo "saguard plugin: no version in $plugin_yaml to download saguard for" >&2
  exit 1
fi
echo "saguard plugin: no saguard binary found; downloading saguard $version"
if sh "$PLUGIN_BIN/download-release.sh" "$version" "$PLUGIN_BIN"; then
  exit 0
fi
echo "saguard plugin: no saguard binary installed. Put saguard on PATH or set SAGUARD_BIN" >&2
echo "  (a release: https://github.com/saguard/saguard/releases; or build it from source)" >&2
exit 1
