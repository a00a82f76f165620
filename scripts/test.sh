#!/usr/bin/env bash
# The README's test command (`npm test`): sets up everything the tests need on a fresh machine,
# builds, runs the unit tests (plain Node) and the integration tests (real VS Code 1.100.3 via
# code-server and Chromium), and ends with one line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
step() { echo; echo "==> $*"; }
fail() { echo "opsreview test: $*" >&2; echo "0 passed, 1 failed"; exit 1; }

step "Debian packages"
bash scripts/setup-debian.sh || fail "missing Debian packages (see above)"

step "npm dependencies"
if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --ignore-scripts --no-audit --no-fund || fail "npm ci failed"
fi

step "code-server 4.100.3 (cached in ${OPSREVIEW_CACHE:-$HOME/.cache/opsreview})"
OPSREVIEW_CODE_SERVER=$(bash scripts/setup-code-server.sh) || fail "code-server setup failed"
export OPSREVIEW_CODE_SERVER

step "build"
rm -rf out test-output
node esbuild.mjs || fail "esbuild failed"
npx tsc -p tsconfig.json || fail "TypeScript errors"

step "unit tests"
node out/test/runUnit.js
unit_rc=$?

step "integration tests (real VS Code)"
node out/test/integration/runInCodeServer.js
it_rc=$?

node -e '
const fs = require("fs");
const read = (f) => { try { return JSON.parse(fs.readFileSync(f, "utf8")); } catch { return { passed: 0, failed: 1 }; } };
const u = read("test-output/unit-result.json"), i = read("test-output/integration-result.json");
console.log("");
console.log(`unit: ${u.passed} passed, ${u.failed} failed; integration: ${i.passed} passed, ${i.failed} failed${i.vscodeVersion ? ` (VS Code ${i.vscodeVersion})` : ""}`);
console.log(`${u.passed + i.passed} passed, ${u.failed + i.failed} failed`);
'
[[ $unit_rc -eq 0 && $it_rc -eq 0 ]]
