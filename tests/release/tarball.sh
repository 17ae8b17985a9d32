#!/usr/bin/env bash
# The release tarball: exactly the binary, the two plugins, the README, LICENSE and the rule
# pages, under one top folder, as `cmake --install --strip` lays them out; the extracted binary
# is static, stripped, runs, and reports what the build's binary reports.
source "$(dirname "$0")/lib.sh"

top="saguard-$SAGUARD_VERSION-linux-amd64"
listing="$(tar -tzf "$TARBALL" | grep -v '/$' | sort)"
expected="$(
  {
    printf '%s\n' bin/saguard bin/kubectl-saguard share/saguard/helm/plugin.yaml \
      share/saguard/helm/bin/{download-release.sh,find-saguard.sh,install.sh,saguard-helm.sh} \
      share/doc/saguard/{LICENSE,README.md}
    (cd "$SAGUARD_SOURCE_DIR/docs/rules" && printf 'share/doc/saguard/rules/%s\n' *.md)
  } | sed "s|^|$top/|" | sort
)"
[[ "$listing" == "$expected" ]] ||
  fail "the tarball holds other files than expected:"$'\n'"$(diff <(echo "$expected") <(echo "$listing"))"
echo "$TARBALL_NAME: $(wc -l <<<"$listing") files"

tar -xzf "$TARBALL" -C "$SCRATCH"
prefix="$SCRATCH/$top"

cmake --install "$SAGUARD_BUILD_DIR" --strip --prefix "$SCRATCH/installed" >/dev/null
installed="$(cd "$SCRATCH/installed" && find . -type f | sed 's|^\./||' | sort)"
[[ "$installed" == "$(cd "$prefix" && find . -type f | sed 's|^\./||' | sort)" ]] ||
  fail "cmake --install and the tarball differ:"$'\n'"$installed"
cmp -s "$SCRATCH/installed/bin/saguard" "$prefix/bin/saguard" ||
  fail "cmake --install --strip and CPack give different binaries"
for program in bin/saguard bin/kubectl-saguard share/saguard/helm/bin/{install.sh,saguard-helm.sh}; do
  [[ -x "$prefix/$program" ]] || fail "$program is not executable in the tarball"
done

described="$(file "$prefix/bin/saguard")"
echo "$described"
expect_contains "$described" ", stripped" "file's description"
if [[ "$SAGUARD_STATIC" == ON ]]; then
  expect_contains "$described" "statically linked" "file's description"
fi

version="$("$prefix/bin/saguard" --version)"
expect_contains "$version" "$SAGUARD_VERSION" "saguard --version"

cd "$SAGUARD_SOURCE_DIR"
status=0
packaged="$("$prefix/bin/saguard" scan examples/manifests --format json)" || status=$?
[[ "$status" == 1 ]] || fail "the packaged saguard exited $status on examples/manifests, not 1 (findings)"
built="$("$SAGUARD_BUILD_BINARY" scan examples/manifests --format json)" || true
[[ "$packaged" == "$built" ]] || fail "the packaged and the built saguard report differently"
expect_contains "$packaged" '"ruleId"' "the report"
