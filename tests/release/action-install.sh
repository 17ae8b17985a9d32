#!/usr/bin/env bash
# The GitHub Action's set-up step (integrations/github/install.sh) against a local HTTP
# server laid out like a GitHub release: it downloads the release of the action's version,
# checks its sha256, installs it and puts it on the job's PATH; a tampered tarball is refused
# with a clear message and nothing installed.
source "$(dirname "$0")/lib.sh"

install_sh="$SAGUARD_SOURCE_DIR/integrations/github/install.sh"
export ACTION_PATH="$SAGUARD_SOURCE_DIR/integrations/github" BUILD_FROM_SOURCE=false
export PATH=/usr/bin:/bin
! command -v saguard >/dev/null || fail "a saguard is on PATH already: $(command -v saguard)"

# run_action NAME REF: install.sh as the action runs it, in a fresh runner folder; sets
# RUNNER_TEMP, GITHUB_PATH, out, status.
run_action() {
  export RUNNER_TEMP="$SCRATCH/$1" GITHUB_PATH="$SCRATCH/$1/github_path" ACTION_REF="$2"
  mkdir -p "$RUNNER_TEMP"
  status=0
  out="$(bash "$install_sh" 2>&1)" || status=$?
}

serve_release "$SCRATCH/release" "$TARBALL"
export SAGUARD_DOWNLOAD_URL="$RELEASE_URL"

# A release tag as the action's ref, then a branch: the version in the action's CMakeLists.txt.
for ref in "v$SAGUARD_VERSION" main; do
  run_action "runner-$ref" "$ref"
  [[ "$status" == 0 ]] || fail "install.sh (ref $ref) failed: $out"
  expect_contains "$out" "installed $RUNNER_TEMP/saguard-bin/saguard" "install.sh (ref $ref)"
  expect_contains "$out" "$RELEASE_URL/v$SAGUARD_VERSION/$TARBALL_NAME" "install.sh (ref $ref)"
  [[ "$(cat "$GITHUB_PATH")" == "$RUNNER_TEMP/saguard-bin" ]] ||
    fail "GITHUB_PATH holds '$(cat "$GITHUB_PATH")'"
  scan_status=0
  report="$(cd "$SAGUARD_SOURCE_DIR" && "$RUNNER_TEMP/saguard-bin/saguard" scan examples/manifests --format gcc)" ||
    scan_status=$?
  [[ "$scan_status" == 1 ]] || fail "the installed saguard exited $scan_status: $report"
  expect_contains "$report" "[SA0" "the installed saguard's report"
done

# Another release tag is another version: the download names it, and fails here.
run_action runner-other v9.8.7
[[ "$status" != 0 ]] || fail "install.sh installed a release the server does not have"
expect_contains "$out" "could not download $RELEASE_URL/v9.8.7/saguard-9.8.7-linux-amd64.tar.gz" "install.sh"

# build-from-source: the cache key hashes the action's sources; a restored cache (the binary
# in $RUNNER_TEMP/saguard-source) is used without a set-up or a compile.
export GITHUB_OUTPUT="$SCRATCH/github_output"
bash "$install_sh" cache-key
grep -Eqx 'key=saguard-source-[0-9a-f]{32}' "$GITHUB_OUTPUT" || fail "cache-key wrote: $(cat "$GITHUB_OUTPUT")"
mkdir -p "$SCRATCH/runner-cached/saguard-source"
tar -xzf "$TARBALL" -C "$SCRATCH/runner-cached/saguard-source" --strip-components=1
BUILD_FROM_SOURCE=true run_action runner-cached main
[[ "$status" == 0 ]] || fail "install.sh with a cached build failed: $out"
expect_contains "$out" "using the cached build of this source" "install.sh (build-from-source, cached)"
[[ "$(cat "$GITHUB_PATH")" == "$RUNNER_TEMP/saguard-source/bin" ]] ||
  fail "GITHUB_PATH holds '$(cat "$GITHUB_PATH")'"

tampered_copy "$TARBALL" "$SCRATCH/tampered.tar.gz"
serve_release "$SCRATCH/tampered-release" "$SCRATCH/tampered.tar.gz"
export SAGUARD_DOWNLOAD_URL="$RELEASE_URL"
run_action runner-tampered "v$SAGUARD_VERSION"
[[ "$status" != 0 ]] || fail "install.sh accepted a tampered tarball: $out"
expect_contains "$out" "checksum mismatch for $TARBALL_NAME" "install.sh on a tampered tarball"
expect_contains "$out" "refusing to install it" "install.sh on a tampered tarball"
[[ ! -e "$RUNNER_TEMP/saguard-bin/saguard" ]] || fail "a tampered tarball left a saguard behind"
[[ ! -s "$GITHUB_PATH" ]] || fail "a tampered tarball still changed GITHUB_PATH"
echo "$out"
