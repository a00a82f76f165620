#!/usr/bin/env bash
# The README's run command (`npm start`): sets up, builds and packages OpsReview, installs the
# .vsix into VS Code (code-server 1.100.3, cached in ~/.cache/opsreview) exactly as a user
# would, and serves it on 127.0.0.1 with the sample workspace (runbooks/) open.
#   PORT=8080 npm start
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
bash scripts/setup-debian.sh --run-only
if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --ignore-scripts --no-audit --no-fund
fi
entry=$(bash scripts/setup-code-server.sh)
npm run --silent package
cache="${OPSREVIEW_CACHE:-$HOME/.cache/opsreview}"
ext_dir="$cache/run/extensions"
data_dir="$cache/run/user-data"
mkdir -p "$ext_dir" "$data_dir/User"
[[ -f "$data_dir/User/settings.json" ]] || echo '{ "workbench.startupEditor": "none", "security.workspace.trust.enabled": false, "telemetry.telemetryLevel": "off" }' > "$data_dir/User/settings.json"
node "$entry" --extensions-dir "$ext_dir" --user-data-dir "$data_dir" --install-extension "$repo/opsreview.vsix" --force >/dev/null
port="${PORT:-8080}"
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
echo
echo "OpsReview is installed in VS Code $(node -p "require('$(dirname "$entry")/../../lib/vscode/package.json').version" 2>/dev/null || echo 1.100.3) with the sample workspace."
echo "Open:  http://127.0.0.1:$port/?folder=$repo/runbooks"
echo "(Ctrl-C stops it.)"
echo
exec node "$entry" --auth none --bind-addr "127.0.0.1:$port" --disable-telemetry --disable-update-check --disable-workspace-trust \
  --extensions-dir "$ext_dir" --user-data-dir "$data_dir" "$repo/runbooks"
