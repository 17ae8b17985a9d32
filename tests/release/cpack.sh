#!/usr/bin/env bash
# The release packages, made by CPack from this build (a fixture the other release tests use):
# the .tar.gz and the .deb, each with a .sha256 that checks.
source "$(dirname "$0")/lib.sh"

rm -rf "$SAGUARD_PACKAGES"
mkdir -p "$SAGUARD_PACKAGES"
cpack --config "$SAGUARD_BUILD_DIR/CPackConfig.cmake" -B "$SAGUARD_PACKAGES" >"$SCRATCH/cpack.log" 2>&1 ||
  fail "cpack failed: $(cat "$SCRATCH/cpack.log")"
rm -rf "$SAGUARD_PACKAGES/_CPack_Packages"

cd "$SAGUARD_PACKAGES"
for package in "$TARBALL_NAME" "saguard_${SAGUARD_VERSION}_amd64.deb"; do
  [[ -f "$package" ]] || fail "cpack made no $package: $(ls)"
  [[ -f "$package.sha256" ]] || fail "cpack wrote no $package.sha256"
  sha256sum -c "$package.sha256" || fail "$package.sha256 does not check"
done
echo "packages: $(ls)"
