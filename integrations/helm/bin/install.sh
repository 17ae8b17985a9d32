#!/bin/sh
# install.sh - the Helm plugin's install and update hook (helm runs `sh <this file>` with sh -c,
# in helm's current directory, with HELM_PLUGIN_DIR set).
#
# Makes sure `helm saguard` will find a saguard binary: $SAGUARD_BIN, `saguard` on PATH, or a
# build in the repository the plugin was installed from. When there is none and the plugin
# sits in a source checkout, it builds one there with CMake (set SAGUARD_SKIP_BUILD=1 to
# skip that). A hook that fails makes `helm plugin install` fail, so problems show at once.
set -eu

PLUGIN_BIN="$(cd -P "$(dirname "$0")" && pwd -P)"
# A plugin unpacked from an archive may have lost the executable bit helm needs.
chmod +x "$PLUGIN_BIN/saguard-helm.sh" 2>/dev/null || true
. "$PLUGIN_BIN/find-saguard.sh"

if find_saguard; then
  echo "saguard plugin: using $SAGUARD ($("$SAGUARD" --version 2>/dev/null || echo 'version unknown'))"
  exit 0
fi

repo="$(saguard_repo)"
if [ -n "$repo" ] && [ -f "$repo/CMakeLists.txt" ] && [ -d "$repo/src/cli" ] &&
   [ "${SAGUARD_SKIP_BUILD:-0}" != 1 ]; then
  if ! command -v cmake >/dev/null 2>&1; then
    echo "saguard plugin: no saguard binary found and cmake is missing to build one;" >&2
    echo "  run $repo/scripts/setup.sh (Debian/Ubuntu, as root), or put saguard on PATH" >&2
    exit 1
  fi
  echo "saguard plugin: no saguard binary found; building it in $repo/build (a few minutes)"
  generator=""
  if [ ! -f "$repo/build/CMakeCache.txt" ] && command -v ninja >/dev/null 2>&1; then
    generator="-G Ninja"
  fi
  # shellcheck disable=SC2086 # $generator is empty or two words
  cmake -S "$repo" -B "$repo/build" $generator -DCMAKE_BUILD_TYPE=Release \
    -DSAGUARD_BUILD_TESTS=OFF -DSAGUARD_BUILD_BENCH=OFF
  cmake --build "$repo/build" --target saguard
  echo "saguard plugin: built $repo/build/src/cli/saguard"
  exit 0
fi

echo "saguard plugin: no saguard binary found. Put saguard on PATH, set SAGUARD_BIN, or" >&2
echo "  install the plugin from a saguard source checkout: helm plugin install <repo>/integrations/helm" >&2
exit 1
