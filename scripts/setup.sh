#!/usr/bin/env bash
# scripts/setup.sh - install everything saguard needs to build, test and run.
#
#   scripts/setup.sh                # build, test and run: Debian packages, helm, kubectl, npm tools
#   scripts/setup.sh --build-only   # only what building the saguard binary needs (no tests,
#                                   # no benchmarks, no Node.js, helm or kubectl)
#
# Idempotent. Meant for a fresh Debian 12 machine, run as root (as CI does);
# installs only what is missing (Debian packages via apt-get, then helm,
# kubectl and the npm tools via scripts/install-tools.sh).
# A second run installs nothing and takes about a second.
set -euo pipefail

build_only=0
case "${1:-}" in
  "") ;;
  --build-only) build_only=1 ;;
  *) printf 'usage: %s [--build-only]\n' "$0" >&2; exit 2 ;;
esac

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DEBIAN_FRONTEND=noninteractive

log() { printf 'setup: %s\n' "$*" >&2; }

# Debian packages (Debian 12 names). What each one is for:
#   cmake ninja-build          build system (CMake >= 3.20)
#   gcc g++ libc6-dev          C and C++ compilers (LLVMConfig.cmake probes with a C compiler)
#   zlib1g-dev libncurses-dev  ZLIB::ZLIB and Terminfo::terminfo, which LLVMSupport links
#                              (libncurses-dev provides libtinfo-dev)
#   nlohmann-json3-dev libcli11-dev
# and, beyond --build-only:
#   libgtest-dev libgmock-dev libbenchmark-dev   the tests and benchmarks
#   unzip                      scripts/install-tools.sh unpacks helm/kubectl
#   graphviz                   `dot`, for the docs' graphs
#   ca-certificates            npm talks HTTPS to its registry
#   python3 curl file          the release tests: a local HTTP server, the download
#                              scripts' client, `file` on the static binary
#   clang libclang-common-14-dev  the sanitizer build and libFuzzer (libclang_rt.fuzzer,
#                              ASan and UBSan runtimes) that scripts/sanitize.sh uses
#   pre-commit git             the test that runs .pre-commit-hooks.yaml with the real pre-commit
PACKAGES=(
  cmake ninja-build gcc g++ libc6-dev
  zlib1g-dev libncurses-dev
  nlohmann-json3-dev libcli11-dev
)
if (( ! build_only )); then
  PACKAGES+=(
    libgtest-dev libgmock-dev libbenchmark-dev
    unzip graphviz ca-certificates
    python3 curl file
    clang libclang-common-14-dev
    pre-commit git
  )
fi

missing=()

installed() {
  [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" == "install ok installed" ]]
}

for pkg in "${PACKAGES[@]}"; do
  installed "$pkg" || missing+=("$pkg")
done

# LLVM 14 or newer with its CMake package (llvm-14-dev on Debian 12). Any
# installed llvm-N-dev with N >= 14 will do; otherwise take Debian's default.
have_llvm=0
for cfg in /usr/lib/llvm-*/lib/cmake/llvm/LLVMConfig.cmake; do
  [[ -e "$cfg" ]] || continue
  ver="${cfg#/usr/lib/llvm-}"; ver="${ver%%/*}"
  if [[ "$ver" =~ ^[0-9]+$ ]] && (( ver >= 14 )) && installed "llvm-$ver-dev"; then
    have_llvm=1
    break
  fi
done
(( have_llvm )) || missing+=(llvm-dev)

# Node.js (>= 18) and npm: a Node.js from elsewhere (e.g. NodeSource, which
# bundles npm) is fine; Debian's are installed only if the commands are absent.
if (( ! build_only )); then
  command -v node >/dev/null 2>&1 || missing+=(nodejs)
  command -v npm >/dev/null 2>&1 || missing+=(npm)
fi

if ((${#missing[@]})); then
  if [[ "$(id -u)" != 0 ]]; then
    log "missing Debian packages: ${missing[*]}"
    log "run this script as root (or: sudo apt-get install ${missing[*]})"
    exit 1
  fi
  log "installing: ${missing[*]}"
  apt_opts=(-o DPkg::Lock::Timeout=600 -o Acquire::Retries=3 -o Dpkg::Use-Pty=0)
  apt_log="$(mktemp "${TMPDIR:-/tmp}/saguard-apt.XXXXXX.log")"
  # apt's thousands of lines go to a log, shown only when something fails.
  if ! { apt-get "${apt_opts[@]}" update &&
         apt-get "${apt_opts[@]}" install -y --no-install-recommends "${missing[@]}"; } >"$apt_log" 2>&1; then
    cat "$apt_log" >&2
    log "apt-get failed (log above, kept in $apt_log)"
    exit 1
  fi
  rm -f "$apt_log"
  log "installed: ${missing[*]}"
else
  log "Debian packages: all present"
fi

(( build_only )) && exit 0

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if (( node_major < 18 )); then
  log "Node.js >= 18 needed, found $(node --version)"
  exit 1
fi

bash "$REPO/scripts/install-tools.sh"
