#!/usr/bin/env bash
# The Helm plugin's install hook with no saguard around: the real `helm plugin install`
# downloads the released binary of the plugin's version from a local HTTP server laid out like
# a GitHub release, checks its sha256, and `helm saguard` runs it; a tampered tarball makes
# the install fail with a clear message and leaves no binary.
source "$(dirname "$0")/lib.sh"

for plugin_yaml in plugin.yaml integrations/helm/plugin.yaml; do
  version="$(sed -n 's/^version: "\(.*\)"$/\1/p' "$SAGUARD_SOURCE_DIR/$plugin_yaml")"
  [[ "$version" == "$SAGUARD_VERSION" ]] ||
    fail "$plugin_yaml says version '$version', the project $SAGUARD_VERSION: the hook would fetch another release"
done

# A copy of the plugin, so the download lands in the scratch folder, not in the checkout.
plugin_copy() {
  mkdir -p "$1"
  cp "$SAGUARD_SOURCE_DIR/integrations/helm/plugin.yaml" "$1/"
  mkdir "$1/bin"
  cp "$SAGUARD_SOURCE_DIR"/integrations/helm/bin/*.sh "$1/bin/"
}

serve_release "$SCRATCH/release" "$TARBALL"
export SAGUARD_DOWNLOAD_URL="$RELEASE_URL"
use_helm "$SCRATCH/helm"
plugin="$SCRATCH/sources/a/b/saguard-plugin"
plugin_copy "$plugin"
out="$("$HELM" plugin install "$plugin" 2>&1)" || fail "helm plugin install failed: $out"
echo "$out"
expect_contains "$out" "downloading saguard $SAGUARD_VERSION" "helm plugin install"
expect_contains "$out" "installed $plugin/bin/saguard" "helm plugin install"
expect_contains "$out" "Installed plugin: saguard" "helm plugin install"

rules="$("$HELM" saguard rules SA001 2>&1)" || fail "helm saguard rules: $rules"
expect_contains "$rules" "SA001" "helm saguard rules SA001"
status=0
report="$("$HELM" saguard "$SAGUARD_SOURCE_DIR/examples/chart" --format gcc 2>&1)" || status=$?
[[ "$status" == 1 ]] || fail "helm saguard on examples/chart exited $status: $report"
expect_contains "$report" "[SA0" "helm saguard's report"

# A second install finds the downloaded binary and fetches nothing.
"$HELM" plugin uninstall saguard >/dev/null
out="$("$HELM" plugin install "$plugin" 2>&1)" || fail "helm plugin install (again) failed: $out"
expect_contains "$out" "saguard plugin: using $plugin/bin/saguard" "the second helm plugin install"

# A binary downloaded for another version of the plugin (as after `helm plugin update`) is
# replaced by the release of this one.
plugin="$SCRATCH/sources/e/f/saguard-plugin"
plugin_copy "$plugin"
printf '#!/bin/sh\necho 0.0.1\n' >"$plugin/bin/saguard"
chmod +x "$plugin/bin/saguard"
"$HELM" plugin uninstall saguard >/dev/null
out="$("$HELM" plugin install "$plugin" 2>&1)" || fail "helm plugin install (old binary) failed: $out"
expect_contains "$out" "downloading saguard $SAGUARD_VERSION" "helm plugin install over an old binary"
[[ "$("$plugin/bin/saguard" --version)" == *"$SAGUARD_VERSION"* ]] || fail "the old binary was kept"

tampered_copy "$TARBALL" "$SCRATCH/tampered.tar.gz"
serve_release "$SCRATCH/tampered-release" "$SCRATCH/tampered.tar.gz"
export SAGUARD_DOWNLOAD_URL="$RELEASE_URL"
use_helm "$SCRATCH/helm-tampered"
plugin="$SCRATCH/sources/c/d/saguard-plugin"
plugin_copy "$plugin"
status=0
out="$("$HELM" plugin install "$plugin" 2>&1)" || status=$?
echo "$out"
[[ "$status" != 0 ]] || fail "helm plugin install accepted a tampered tarball"
expect_contains "$out" "checksum mismatch for $TARBALL_NAME" "helm plugin install (tampered)"
expect_contains "$out" "refusing to install it" "helm plugin install (tampered)"
[[ ! -e "$plugin/bin/saguard" ]] || fail "a tampered tarball left a saguard behind"
