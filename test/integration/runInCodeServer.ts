import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { chromium, Browser, Page } from 'playwright-core';
import type { IntegrationResult } from './index';

// Runs the integration suites inside real VS Code 1.100.3, offline: code-server (from npm,
// installed by scripts/setup-code-server.sh) serves the workbench on 127.0.0.1, Debian's
// Chromium (driven by playwright-core) opens it with this repo as the extension under
// development and out/test/integration/index.js as the test runner. The tests run in
// code-server's Node extension host; they write their result beside the workspace copy, and
// ask for screenshots of the real UI through request files this driver answers.
//
//   node out/test/integration/runInCodeServer.js [--keep]
// Env: OPSREVIEW_CODE_SERVER (entry.js; default: from setup-code-server.sh), CHROMIUM
// (default /usr/bin/chromium), OPSREVIEW_TEST_TIMEOUT_MS (default 600000).

const repo = path.resolve(__dirname, '../../..');
const outputDir = path.join(repo, 'test-output');
const timeoutMs = Number(process.env.OPSREVIEW_TEST_TIMEOUT_MS ?? 600_000);
const keep = process.argv.includes('--keep');

function log(msg: string): void {
  process.stdout.write(`[integration] ${msg}\n`);
}

function codeServerEntry(): string {
  if (process.env.OPSREVIEW_CODE_SERVER) return process.env.OPSREVIEW_CODE_SERVER;
  return execFileSync('bash', [path.join(repo, 'scripts/setup-code-server.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').pop()!;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url: string, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const req = http.get(url, (res) => {
        res.resume();
        resolve((res.statusCode ?? 500) < 500);
      });
      req.on('error', () => resolve(false));
      req.setTimeout(2000, () => {
        req.destroy();
        resolve(false);
      });
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`code-server did not answer at ${url}`);
}

function killTree(p: ChildProcess | undefined): void {
  if (!p?.pid) return;
  try {
    process.kill(-p.pid, 'SIGTERM'); // its own process group: code-server and its extension host
  } catch {
    try {
      p.kill('SIGTERM');
    } catch {
      /* gone */
    }
  }
}

/**
 * A test in the extension host asks the driver to act inside the visible webview (the browser is
 * the only place a webview's DOM can be reached): `{action, selector, value?}` in
 * `webview-<id>.request`, the answer `{ok, value?, error?}` in `webview-<id>.done`.
 */
async function answerWebviewRequest(page: Page, harness: string, file: string, id: string): Promise<void> {
  const reqPath = path.join(harness, file);
  let answer: { ok: boolean; value?: unknown; error?: string };
  try {
    const req = JSON.parse(readFileSync(reqPath, 'utf8')) as { action: string; selector: string; value?: string };
    unlinkSync(reqPath);
    const view = page.frameLocator('iframe.webview.ready:visible').frameLocator('#active-frame');
    const target = view.locator(req.selector).first();
    const timeout = 10_000;
    let value: unknown = true;
    if (req.action === 'click') await target.click({ timeout });
    else if (req.action === 'text') value = await target.textContent({ timeout });
    else if (req.action === 'count') value = await view.locator(req.selector).count();
    else if (req.action === 'fill') await target.fill(req.value ?? '', { timeout });
    else if (req.action === 'press') await target.press(req.value ?? 'Enter', { timeout });
    else throw new Error(`unknown webview action ${req.action}`);
    answer = { ok: true, value };
  } catch (e) {
    answer = { ok: false, error: (e as Error).message.split('\n')[0] };
  }
  writeFileSync(path.join(harness, `webview-${id}.tmp`), JSON.stringify(answer));
  renameSync(path.join(harness, `webview-${id}.tmp`), path.join(harness, `webview-${id}.done`));
}

export async function runIntegration(): Promise<IntegrationResult | undefined> {
  mkdirSync(outputDir, { recursive: true });
  const entry = codeServerEntry();
  const tmp = mkdtempSync(path.join(tmpdir(), 'opsreview-it-'));
  const ws = path.join(tmp, 'ws');
  const harness = path.join(tmp, 'harness');
  const userData = path.join(tmp, 'user-data');
  const extDir = path.join(tmp, 'extensions');
  // Tests edit and rename files: they get a copy of the sample workspace, never the repo's.
  cpSync(path.join(repo, 'runbooks'), ws, { recursive: true });
  mkdirSync(harness, { recursive: true });
  mkdirSync(path.join(userData, 'User'), { recursive: true });
  mkdirSync(extDir, { recursive: true });
  writeFileSync(
    path.join(userData, 'User', 'settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.enableExperiments': false,
        'security.workspace.trust.enabled': false,
        'telemetry.telemetryLevel': 'off',
        'update.mode': 'none',
        'extensions.ignoreRecommendations': true,
        'extensions.autoCheckUpdates': false,
        'git.enabled': false,
        'files.autoSave': 'off',
        'window.commandCenter': false,
      },
      null,
      2,
    ),
  );

  const port = await freePort();
  const csLog: string[] = [];
  log(`starting code-server on 127.0.0.1:${port}`);
  const cs = spawn(
    process.execPath,
    [entry, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', '--extensions-dir', extDir, '--user-data-dir', userData, ws],
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, OPSREVIEW_TEST_RESULT: path.join(harness, 'result.json'), OPSREVIEW_LOG_FILE: path.join(harness, 'server.log') } },
  );
  const keepLog = (b: Buffer): void => {
    csLog.push(...b.toString().split('\n').filter(Boolean));
    if (csLog.length > 400) csLog.splice(0, csLog.length - 400);
  };
  cs.stdout!.on('data', keepLog);
  cs.stderr!.on('data', keepLog);

  let browser: Browser | undefined;
  let page: Page | undefined;
  let result: IntegrationResult | undefined;
  const started = Date.now();
  const deadline = started + timeoutMs;
  try {
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, Date.now() + 60_000);
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (e) => csLog.push(`[page error] ${e.message}`));
    const remote = (p: string): string => `vscode-remote://127.0.0.1:${port}${p}`;
    const payload = [
      ['extensionDevelopmentPath', remote(repo)],
      ['extensionTestsPath', remote(path.join(repo, 'out/test/integration/index.js'))],
    ];
    const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(ws)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    log('opening the workbench in Chromium');
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });

    const resultFile = path.join(harness, 'result.json');
    while (!existsSync(resultFile)) {
      if (Date.now() > deadline) throw new Error(`no test result after ${timeoutMs / 1000} s`);
      for (const f of readdirSync(harness)) {
        const w = /^webview-(.+)\.request$/.exec(f);
        if (w) {
          await answerWebviewRequest(page, harness, f, w[1]);
          continue;
        }
        const m = /^screenshot-(.+)\.request$/.exec(f);
        if (!m) continue;
        const name = m[1].replace(/[^\w.-]/g, '_');
        await page.screenshot({ path: path.join(outputDir, `${name}.png`) });
        unlinkSync(path.join(harness, f));
        writeFileSync(path.join(harness, `screenshot-${m[1]}.done`), '');
        log(`screenshot test-output/${name}.png`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    // The file may be mid-write when first seen.
    await new Promise((r) => setTimeout(r, 300));
    result = JSON.parse(readFileSync(resultFile, 'utf8')) as IntegrationResult;
    const serverLog = path.join(harness, 'server.log');
    if (existsSync(serverLog)) cpSync(serverLog, path.join(outputDir, 'server.log'));
    await page.screenshot({ path: path.join(outputDir, 'final.png') });
  } catch (e) {
    log(`ERROR: ${(e as Error).message}`);
    try {
      await page?.screenshot({ path: path.join(outputDir, 'failure.png') });
      log('screenshot of the failure: test-output/failure.png');
    } catch {
      /* the page is gone */
    }
    log('code-server log (last lines):');
    for (const l of csLog.slice(-60)) process.stdout.write(`  | ${l}\n`);
  } finally {
    await browser?.close().catch(() => undefined);
    killTree(cs);
    if (!keep) rmSync(tmp, { recursive: true, force: true });
  }
  log(`finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

if (require.main === module) {
  runIntegration().then(
    (r) => {
      if (!r) {
        writeFileSync(path.join(outputDir, 'integration-result.json'), JSON.stringify({ passed: 0, failed: 1, error: 'no result' }));
        process.exitCode = 1;
        return;
      }
      process.stdout.write(`\nIntegration tests in VS Code ${r.vscodeVersion}\n\n`);
      for (const l of r.lines) process.stdout.write(`  ${l}\n`);
      for (const f of r.failures) process.stdout.write(`\n  FAILED ${f.title}\n    ${f.error.split('\n').join('\n    ')}\n`);
      process.stdout.write(`\n  ${r.passed} passing, ${r.failed} failing${r.pending ? `, ${r.pending} pending` : ''}\n`);
      writeFileSync(path.join(outputDir, 'integration-result.json'), JSON.stringify({ passed: r.passed, failed: r.failed, vscodeVersion: r.vscodeVersion }));
      process.exitCode = r.failed ? 1 : 0;
    },
    (e) => {
      process.stderr.write(`${(e as Error).stack}\n`);
      process.exitCode = 1;
    },
  );
}
