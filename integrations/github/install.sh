#!/usr/bin/env bash
# install.sh - the GitHub Action's set-up step: puts a saguard on the job's PATH.
#
#   install.sh            install (below)
#   install.sh cache-key  print `key=<hash of the action's sources>` for actions/cache
#
# In order: a `saguard` already on PATH is used as it is; with BUILD_FROM_SOURCE=true the
# action's own source is built (only its build dependencies installed, by
# `scripts/setup.sh --build-only`) into $RUNNER_TEMP/saguard-source, which action.yml keeps
# in actions/cache under `cache-key`, so a second run with the same source compiles nothing;
# otherwise the released binary of the action's own version is downloaded, its tarball
# checked against the release's sha256 (integrations/helm/bin/download-release.sh;
# SAGUARD_DOWNLOAD_URL overrides where from).
#
# The action's version: its ref when that is a release tag (`uses: .../integrations/github@v0.2.0`
# gives 0.2.0; GitHub passes it as ACTION_REF), else (a branch or a commit) the version in the
# action's own CMakeLists.txt, `project(saguard VERSION x.y.z)`: the release that source is.
#
# Environment: ACTION_PATH (the action's folder), ACTION_REF, BUILD_FROM_SOURCE, RUNNER_TEMP,
# GITHUB_PATH, and for cache-key GITHUB_OUTPUT.
set -euo pipefail

repo="$(cd "$ACTION_PATH/../.." && pwd)"
source_prefix="$RUNNER_TEMP/saguard-source"

source_key() {
  (cd "$repo" && find CMakeLists.txt cmake src include sarif docs/rules -type f -print0 |
    LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -c1-32)
}

action_version() {
  if [[ "${ACTION_REF:-}" =~ ^v([0-9]+\.[0-9]+\.[0-9]+)$ ]]; then
    echo "${BASH_REMATCH[1]}"
    return
  fi
  sed -n 's/^project(saguard VERSION \([0-9][0-9.]*\).*/\1/p' "$repo/CMakeLists.txt"
}

build_from_source() {
  if [[ -x "$source_prefix/bin/saguard" ]]; then
    echo "saguard: using the cached build of this source"
    return
  fi
  if [[ "$(id -u)" == 0 ]]; then
    bash "$repo/scripts/setup.sh" --build-only
  else
    sudo -E bash "$repo/scripts/setup.sh" --build-only
  fi
  local build="$RUNNER_TEMP/saguard-build"
  cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DSAGUARD_BUILD_TESTS=OFF -DSAGUARD_BUILD_BENCH=OFF
  cmake --build "$build" --target saguard
  cmake --install "$build" --strip --prefix "$source_prefix"
}

if [[ "${1:-}" == cache-key ]]; then
  echo "key=saguard-source-$(source_key)" >>"$GITHUB_OUTPUT"
  exit 0
fi

if [[ "${BUILD_FROM_SOURCE:-false}" == true ]]; then
  build_from_source
  bin="$source_prefix/bin"
elif command -v saguard >/dev/null 2>&1; then
  echo "saguard: using $(command -v saguard) ($(saguard --version | head -n 1))"
  exit 0
else
  version="$(action_version)"
  [[ -n "$version" ]] || { echo "saguard: no version found in $repo/CMakeLists.txt" >&2; exit 1; }
  bin="$RUNNER_TEMP/saguard-bin"
  sh "$repo/integrations/helm/bin/download-release.sh" "$version" "$bin"
fi
echo "$bin" >>"$GITHUB_PATH"
"$bin/saguard" --version
