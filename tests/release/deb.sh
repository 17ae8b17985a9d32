#!/usr/bin/env bash
# The .deb: its metadata and contents, and `dpkg -i` of it into a throwaway root (its own
# dpkg database), which installs the binary, the kubectl plugin and the Helm plugin; the real
# helm then installs that Helm plugin, which finds the package's binary.
source "$(dirname "$0")/lib.sh"

deb="$SAGUARD_PACKAGES/saguard_${SAGUARD_VERSION}_amd64.deb"
for field in Package:saguard Version:"$SAGUARD_VERSION" Architecture:amd64; do
  got="$(dpkg-deb -f "$deb" "${field%%:*}")"
  [[ "$got" == "${field#*:}" ]] || fail "the .deb's ${field%%:*} is '$got', not '${field#*:}'"
done
if [[ "$SAGUARD_STATIC" == ON ]]; then
  depends="$(dpkg-deb -f "$deb" Depends)"
  [[ -z "$depends" ]] || fail "a static saguard depends on nothing, the .deb says: $depends"
fi

contents="$(dpkg-deb -c "$deb")"$'\n'
echo "$contents"
installed=(usr/bin/saguard usr/bin/kubectl-saguard usr/share/saguard/helm/plugin.yaml
           usr/share/saguard/helm/bin/install.sh usr/share/saguard/helm/bin/saguard-helm.sh
           usr/share/saguard/helm/bin/find-saguard.sh usr/share/saguard/helm/bin/download-release.sh
           usr/share/doc/saguard/LICENSE usr/share/doc/saguard/rules/SA001.md)
for path in "${installed[@]}"; do
  expect_contains "$contents" " ./$path"$'\n' "dpkg-deb -c"
done

root="$SCRATCH/root"
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates"
touch "$root/var/lib/dpkg/status" "$root/var/lib/dpkg/available"
dpkg --root="$root" -i "$deb" || fail "dpkg -i of the .deb failed"
status="$(dpkg --root="$root" -s saguard | sed -n 's/^Status: //p')"
[[ "$status" == "install ok installed" ]] || fail "dpkg says saguard is '$status'"
for path in "${installed[@]}"; do
  [[ -f "$root/$path" ]] || fail "dpkg -i did not install /$path"
done
[[ -x "$root/usr/bin/saguard" && -x "$root/usr/share/saguard/helm/bin/saguard-helm.sh" ]] ||
  fail "the installed programs are not executable"
expect_contains "$("$root/usr/bin/saguard" --version)" "$SAGUARD_VERSION" "saguard --version"

use_helm "$SCRATCH/helm"
out="$("$HELM" plugin install "$root/usr/share/saguard/helm" 2>&1)" || fail "helm plugin install: $out"
expect_contains "$out" "saguard plugin: using $root/usr/bin/saguard" "helm plugin install"
rules="$("$HELM" saguard rules 2>&1)" || fail "helm saguard rules: $rules"
expect_contains "$rules" "SA001" "helm saguard rules"
