#!/usr/bin/env bash
# Installs code-server 4.100.3 (= VS Code 1.100.3) from npm into a cache outside the clone, so
# fresh clones and CI reuse it. Offline-safe: no install script downloads anything (see
# ../shared/notes/vscode-offline-testing.md for the recipe). Idempotent: a marker written only
# on success means a half-done install is redone. Prints the path of entry.js.
set -euo pipefail
VERSION=4.100.3
CACHE="${OPSREVIEW_CACHE:-$HOME/.cache/opsreview}"
DIR="$CACHE/code-server-$VERSION"
MARKER="$DIR/.opsreview-installed"
ENTRY="$DIR/node_modules/code-server/out/node/entry.js"
log() { echo "[setup-code-server] $*" >&2; }

if [[ -f "$MARKER" && -f "$ENTRY" ]]; then
  echo "$ENTRY"
  exit 0
fi
command -v rg >/dev/null || { log "ripgrep (rg) is missing: run scripts/setup-debian.sh"; exit 1; }
start=$(date +%s)
rm -rf "$DIR"
mkdir -p "$DIR"
cd "$DIR"
echo '{"name":"opsreview-code-server-cache","private":true}' > package.json
log "installing code-server@$VERSION into $DIR"
npm install --no-audit --no-fund --ignore-scripts "code-server@$VERSION" >&2
VS="$DIR/node_modules/code-server/lib/vscode"
(
  cd "$VS"
  log "installing VS Code's own dependencies"
  npm install --no-audit --no-fund --unsafe-perm --omit=dev --ignore-scripts >&2
  mkdir -p node_modules/@vscode/ripgrep/bin
  cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
  log "building native modules"
  npm_config_yes=true npm rebuild kerberos node-pty @parcel/watcher @vscode/spdlog @vscode/deviceid native-watchdog >&2
  ln -sfn node_modules node_modules.asar
  (cd bin/remote-cli && ln -sfn code-linux.sh code-server)
  (cd bin/helpers && ln -sfn browser-linux.sh browser.sh)
  (cd extensions && npm install --no-audit --no-fund --unsafe-perm --omit=dev --ignore-scripts >&2)
)
log "building argon2"
npm rebuild argon2 >&2
date -u +%FT%TZ > "$MARKER"
log "done in $(( $(date +%s) - start )) s"
echo "$ENTRY"
