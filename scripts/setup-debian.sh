#!/usr/bin/env bash
# Installs the Debian packages the tests and the run need: Chromium (drives VS Code in the
# integration tests), ripgrep (code-server's search), libkrb5-dev (to build code-server's
# kerberos module). As root it uses apt-get; otherwise it prints the command to run.
#   scripts/setup-debian.sh [--run-only]   (--run-only: what `npm start` needs, no browser)
set -euo pipefail
pkgs=(ripgrep libkrb5-dev unzip)
[[ "${1:-}" == "--run-only" ]] || pkgs+=(chromium)
missing=()
for p in "${pkgs[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0
if [[ $(id -u) -ne 0 ]]; then
  echo "OpsReview needs these Debian packages: ${missing[*]}" >&2
  echo "Install them with:  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "[setup-debian] installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
