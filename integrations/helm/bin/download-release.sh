#!/bin/sh
# download-release.sh VERSION DIR - install the released saguard VERSION (Linux x86-64, static)
# as DIR/saguard, after checking the tarball against the release's sha256 file.
#
# Used by the Helm plugin's install hook (bin/install.sh) and by the GitHub Action
# (integrations/github/install.sh). Fetches, from
#   ${SAGUARD_DOWNLOAD_URL:-https://github.com/saguard/saguard/releases/download}/vVERSION/
# the two assets release.yml attaches: saguard-VERSION-linux-amd64.tar.gz and its .sha256
# ("<sha256>  <file name>", as CPack writes it). A mismatch installs nothing and exits 1.
set -eu

if [ $# -ne 2 ]; then
  echo "usage: download-release.sh VERSION DIR" >&2
  exit 2
fi
version="${1#v}"
dir="$2"
base="${SAGUARD_DOWNLOAD_URL:-https://github.com/saguard/saguard/releases/download}"
asset="saguard-$version-linux-amd64.tar.gz"
url="${base%/}/v$version/$asset"

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) ;;
  *)
    echo "saguard: released binaries are for Linux x86-64 only (this is $(uname -s)-$(uname -m));" >&2
    echo "  build saguard from source instead" >&2
    exit 1 ;;
esac

fetch() { # URL FILE
  if command -v curl >/dev/null 2>&1; then
    curl -fsSL --retry 3 -o "$2" "$1"
  elif command -v wget >/dev/null 2>&1; then
    wget -q -O "$2" "$1"
  else
    echo "saguard: neither curl nor wget is installed to download $1" >&2
    return 1
  fi
}

tmp="$(mktemp -d "${TMPDIR:-/tmp}/saguard-download.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

if ! fetch "$url" "$tmp/$asset" || ! fetch "$url.sha256" "$tmp/$asset.sha256"; then
  echo "saguard: could not download $url (and its .sha256)" >&2
  exit 1
fi

expected="$(cut -d' ' -f1 <"$tmp/$asset.sha256")"
actual="$(sha256sum "$tmp/$asset" | cut -d' ' -f1)"
if [ "$expected" != "$actual" ] || [ -z "$expected" ]; then
  echo "saguard: checksum mismatch for $asset: the release says sha256 ${expected:-(empty)}," >&2
  echo "  the download has $actual; refusing to install it" >&2
  exit 1
fi

tar -xzf "$tmp/$asset" -C "$tmp" "saguard-$version-linux-amd64/bin/saguard"
binary="$tmp/saguard-$version-linux-amd64/bin/saguard"
if ! "$binary" --version >/dev/null 2>&1; then
  echo "saguard: the downloaded $asset holds a saguard that does not run here" >&2
  exit 1
fi
mkdir -p "$dir"
# Beside the target first, then renamed: a reader never sees half a binary.
cp "$binary" "$dir/.saguard.new"
chmod 0755 "$dir/.saguard.new"
mv -f "$dir/.saguard.new" "$dir/saguard"
echo "saguard: installed $dir/saguard ($("$dir/saguard" --version | head -n 1)) from $url, sha256 $actual"
