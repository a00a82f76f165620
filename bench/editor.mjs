// `npm run bench:editor [-- --files N --seed S]`: OpsReview in real VS Code (code-server 1.100.3
// + Chromium + playwright-core, as the integration tests run) on a generated workspace
// (bench/generate.mjs) with one runbook opened at start. Prints the time from activation (and
// the runbook open) to its first diagnostics, the time to the full index, and the language
// server's peak RSS (VmHWM of its process). Figures are printed, never asserted.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { generate } from './generate.mjs';

const { values } = parseArgs({ options: { files: { type: 'string', default: '10000' }, seed: { type: 'string', default: '1' }, keep: { type: 'boolean' } } });
const repo = resolve(import.meta.dirname, '..');
const entry = process.env.OPSREVIEW_CODE_SERVER ?? execFileSync('bash', [join(repo, 'scripts/setup-code-server.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').pop();
const tmp = mkdtempSync(join(tmpdir(), 'opsreview-bench-editor-'));
const ws = join(tmp, 'ws');
generate(ws, Number(values.files), Number(values.seed));
// The runbook open at start, with findings of its own (a broken link, a missing owner).
const open = 'area-7/runbooks/open-at-start.md';
writeFileSync(join(ws, open), '---\ntitle: Open at start\nservice: svc-1\ntags: [svc-1]\n---\n# Open at start\n\n## Steps\n1. Check the dashboard.\n\nSee [the other](rb-missing-open.md).\n');
const userData = join(tmp, 'user-data');
mkdirSync(join(userData, 'User'), { recursive: true });
writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify({ 'workbench.startupEditor': 'none', 'security.workspace.trust.enabled': false, 'telemetry.telemetryLevel': 'off', 'update.mode': 'none', 'extensions.autoCheckUpdates': false, 'git.enabled': false }));
const resultFile = join(tmp, 'result.json');

const port = await new Promise((r) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => r(p));
  });
});
const cs = spawn(process.execPath, [entry, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--extensions-dir', join(tmp, 'ext'), '--user-data-dir', userData, ws], {
  detached: true,
  stdio: 'ignore',
  env: { ...process.env, OPSREVIEW_BENCH_RESULT: resultFile, OPSREVIEW_BENCH_OPEN: open },
});

/** The language server of this run: a process running dist/server.js under this workspace's code-server. */
function serverPids() {
  const pids = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8');
      const env = readFileSync(`/proc/${d}/environ`, 'utf8');
      if (cmd.includes(join(repo, 'dist', 'server.js')) && env.includes(`OPSREVIEW_BENCH_RESULT=${resultFile}`)) pids.push(d);
    } catch {
      /* gone, or not ours */
    }
  }
  return pids;
}
const kb = (pid, key) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);

let browser;
const load = loadavg()[0];
try {
  for (let t = Date.now(); ; ) {
    try {
      await fetch(`http://127.0.0.1:${port}/healthz`);
      break;
    } catch {
      if (Date.now() - t > 60_000) throw new Error('code-server did not start');
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
  const payload = [['extensionDevelopmentPath', remote(repo)], ['extensionTestsPath', remote(join(repo, 'bench', 'editor-probe.cjs'))]];
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(ws)}&payload=${encodeURIComponent(JSON.stringify(payload))}`, { waitUntil: 'domcontentloaded', timeout: 60_000 });
  // Sample the server's RSS meanwhile too (VmHWM is its peak; sampling shows the shape).
  let sampledPeakKb = 0;
  const deadline = Date.now() + 600_000;
  while (!existsSync(resultFile)) {
    if (Date.now() > deadline) throw new Error('no result from the extension host in 10 minutes');
    for (const pid of serverPids()) sampledPeakKb = Math.max(sampledPeakKb, kb(pid, 'VmRSS'));
    await new Promise((r) => setTimeout(r, 200));
  }
  await new Promise((r) => setTimeout(r, 200));
  const result = JSON.parse(readFileSync(resultFile, 'utf8'));
  const pids = serverPids();
  const hwmKb = Math.max(...pids.map((p) => kb(p, 'VmHWM')));
  if (result.error) throw new Error(result.error);
  const files = Number(values.files) + 1;
  console.log(`bench:editor on ${files} generated files (seed ${values.seed}), load average ${load.toFixed(1)} -> ${loadavg()[0].toFixed(1)} on ${(await import('node:os')).cpus().length} cores`);
  console.log(`  extension already active when the probe started: ${result.activeAtProbeStart}`);
  console.log(`  first diagnostics on the open runbook: ${result.firstDiagnosticsFromHostStartMs} ms from the extension host's start (activation), ${result.firstDiagnosticsFromOpenMs} ms from its opening (target < 1000 ms); ${result.diagnosticsOnOpen} diagnostics`);
  console.log(`  full index (every file's diagnostics published): ${result.fullIndexFromHostStartMs} ms from the extension host's start (target < 5000 ms)`);
  console.log(`  language server peak RSS: ${(hwmKb / 1024).toFixed(0)} MB VmHWM, ${(sampledPeakKb / 1024).toFixed(0)} MB sampled (target < 400 MB); status: ${result.status}`);
  const outDir = join(repo, 'bench', 'results');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, `editor-${new Date().toISOString().slice(0, 10)}.json`), JSON.stringify({ files, seed: Number(values.seed), load: [load, loadavg()[0]], ...result, serverPeakRssMb: hwmKb / 1024, sampledPeakRssMb: sampledPeakKb / 1024 }, null, 2));
} finally {
  await browser?.close().catch(() => undefined);
  try {
    process.kill(-cs.pid, 'SIGTERM');
  } catch {
    /* gone */
  }
  if (!values.keep) rmSync(tmp, { recursive: true, force: true });
}
