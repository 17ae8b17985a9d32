#!/usr/bin/env bash
# The static release binary in an empty chroot (as root): a folder holding only that binary,
# the corpus renders and, for `saguard helm`, the static helm. It needs no loader, library,
# /etc/passwd or NSS, reports on every corpus render exactly what the build's binary reports
# outside, and starts helm through posix_spawnp.
source "$(dirname "$0")/lib.sh"

[[ "$(id -u)" == 0 ]] || fail "chroot needs root (CI runs as root)"
CHROOT="$(command -v chroot)" || fail "chroot not found"
root="$SCRATCH/root"
mkdir -p "$root/renders"
tar -xzf "$TARBALL" -C "$SCRATCH"
cp "$SCRATCH/saguard-$SAGUARD_VERSION-linux-amd64/bin/saguard" "$root/saguard"

use_helm "$SCRATCH/helm"
KUBECTL="$SAGUARD_SOURCE_DIR/.tools/bin/kubectl"
[[ -x "$KUBECTL" ]] || KUBECTL="$(command -v kubectl)" || fail "kubectl not found"

# Every render command of the corpus manifest, with shared/ and the tools made absolute.
renders=0
while IFS= read -r command; do
  name="$(sed 's|.*shared/corpus/\([^ ]*\).*|\1|; s|/|_|g' <<<"$command")"
  command="${command//shared\//$SAGUARD_SHARED_DIR/}"
  command="${command/#helm /$HELM }"
  command="${command/#kubectl /$KUBECTL }"
  eval "$command" >"$root/renders/$name.yaml" 2>"$SCRATCH/render.err" ||
    fail "render failed: $command: $(cat "$SCRATCH/render.err")"
  renders=$((renders + 1))
done < <(grep -o '`\(helm template\|kubectl kustomize\) [^`]*`' "$SAGUARD_SHARED_DIR/corpus/MANIFEST.md" |
         tr -d '`')
((renders >= 30)) || fail "only $renders render commands found in corpus/MANIFEST.md"

findings=0
cd "$root"
# The JSON report's "root" is the folder paths are relative to: "/" in the chroot, this scratch
# folder outside it. Every other byte must match.
report() { grep -v '^  "root": ' || true; }
for render in renders/*.yaml; do
  outside_status=0 inside_status=0
  outside="$("$SAGUARD_BUILD_BINARY" scan "$render" --format json 2>&1)" || outside_status=$?
  inside="$(env -i "$CHROOT" "$root" /saguard scan "$render" --format json 2>&1)" || inside_status=$?
  outside="$(report <<<"$outside")" inside="$(report <<<"$inside")"
  [[ "$inside_status" == "$outside_status" ]] ||
    fail "$render: exit $inside_status in the chroot, $outside_status outside:"$'\n'"$inside"
  [[ "$inside" == "$outside" ]] ||
    fail "$render: the chroot's report differs:"$'\n'"$(diff <(echo "$outside") <(echo "$inside"))"
  findings=$((findings + $({ grep -o '"ruleId"' <<<"$inside" || true; } | wc -l)))
done
((findings > 0)) || fail "no findings on the corpus renders"
echo "$renders renders, $findings findings, the same in the chroot"

# saguard helm in the chroot: posix_spawnp finds /bin/helm through PATH. The renderer's stdin
# is /dev/null, which every container runtime provides; the chroot gets that one device.
mkdir -p "$root/bin" "$root/tmp" "$root/dev"
mknod -m 0666 "$root/dev/null" c 1 3
cp "$HELM" "$root/bin/helm"
cp -r "$SAGUARD_SHARED_DIR/corpus/helm/velero" "$root/velero"
status=0
inside="$(env -i PATH=/bin HOME=/tmp HELM_CACHE_HOME=/tmp/cache HELM_CONFIG_HOME=/tmp/config \
  HELM_DATA_HOME=/tmp/data "$CHROOT" "$root" /saguard helm velero --format json 2>&1)" || status=$?
[[ "$status" == 1 ]] || fail "saguard helm in the chroot exited $status, not 1:"$'\n'"$inside"
outside="$(PATH="$(dirname "$HELM"):/usr/bin:/bin" "$SAGUARD_BUILD_BINARY" helm velero --format json 2>&1)" || true
inside="$(report <<<"$inside")" outside="$(report <<<"$outside")"
[[ "$inside" == "$outside" ]] ||
  fail "saguard helm differs in the chroot:"$'\n'"$(diff <(echo "$outside") <(echo "$inside"))"
