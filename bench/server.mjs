// `node bench/server.mjs [--files N] [--seed S] [--runs R] [--open-after MS] [--server dist/server.js]`:
// the language server over stdio (as Neovim or Helix start it), without VS Code around it, on a
// generated workspace (bench/generate.mjs) with one runbook opened at start (or MS after
// `initialized`, while the folder is being listed or parsed). Prints medians over R runs of the
// time from `didOpen` to the runbook's first diagnostics and from the server's spawn; with
// --full, also the time to the full index (stats ready), the server's CPU time by then and its peak RSS (VmHWM).
// Figures are printed, never asserted. `npm run bench:editor` measures the same in real VS Code.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { generate } from './generate.mjs';

const { values } = parseArgs({
  options: {
    files: { type: 'string', default: '10000' },
    seed: { type: 'string', default: '1' },
    runs: { type: 'string', default: '5' },
    'open-after': { type: 'string', default: '0' },
    server: { type: 'string' },
    full: { type: 'boolean' },
  },
});
const repo = resolve(import.meta.dirname, '..');
const require = createRequire(join(repo, 'package.json'));
const { createMessageConnection, StreamMessageReader, StreamMessageWriter } = require('vscode-jsonrpc/node');
const serverJs = resolve(values.server ?? join(repo, 'dist', 'server.js'));
const tmp = mkdtempSync(join(tmpdir(), 'opsreview-bench-server-'));
const ws = join(tmp, 'ws');
generate(ws, Number(values.files), Number(values.seed));
const open = 'area-7/runbooks/open-at-start.md';
const text = '---\ntitle: Open at start\nservice: svc-1\ntags: [svc-1]\n---\n# Open at start\n\n## Steps\n1. Check the dashboard.\n\nSee [the other](rb-missing-open.md).\n';
writeFileSync(join(ws, open), text);
const openUri = pathToFileURL(join(ws, open)).toString();
const rootUri = pathToFileURL(ws).toString();

async function run() {
  const t0 = Date.now();
  const proc = spawn(process.execPath, [serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
  const conn = createMessageConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  let openedAt = 0;
  const first = new Promise((r) => {
    conn.onNotification('textDocument/publishDiagnostics', (p) => {
      if (p.uri === openUri && p.diagnostics.length) r(Date.now());
    });
  });
  conn.onRequest('window/workDoneProgress/create', () => null);
  conn.onRequest('client/registerCapability', () => null);
  conn.onRequest('workspace/configuration', (p) => p.items.map(() => ({})));
  conn.onNotification(() => undefined);
  conn.listen();
  await conn.sendRequest('initialize', { processId: process.pid, rootUri, workspaceFolders: [{ uri: rootUri, name: 'ws' }], capabilities: { window: { workDoneProgress: true } } });
  conn.sendNotification('initialized', {});
  const after = Number(values['open-after']);
  if (after) await new Promise((r) => setTimeout(r, after));
  openedAt = Date.now();
  conn.sendNotification('textDocument/didOpen', { textDocument: { uri: openUri, languageId: 'markdown', version: 1, text } });
  const firstAt = await first;
  const out = { fromOpenMs: firstAt - openedAt, fromSpawnMs: firstAt - t0 };
  if (values.full) {
    for (;;) {
      const s = await conn.sendRequest('opsreview/stats', {});
      if (s.ready) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    out.fullIndexMs = Date.now() - t0;
    out.peakRssMb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${proc.pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;
    // CPU time of the server so far (user + system, Linux), steadier than wall time on a shared machine.
    const stat = readFileSync(`/proc/${proc.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    out.cpuMs = ((Number(stat[11]) + Number(stat[12])) * 1000) / 100;
  }
  proc.kill();
  conn.dispose();
  return out;
}

const load = loadavg()[0];
const results = [];
for (let i = 0; i < Number(values.runs); i++) results.push(await run());
rmSync(tmp, { recursive: true, force: true });
const median = (k) => {
  const xs = results.map((r) => r[k]).filter((x) => x !== undefined).sort((a, b) => a - b);
  return xs.length ? xs[Math.floor(xs.length / 2)] : undefined;
};
const range = (k) => `${Math.min(...results.map((r) => r[k])).toFixed(0)}-${Math.max(...results.map((r) => r[k])).toFixed(0)}`;
console.log(`language server over stdio (${serverJs}), ${Number(values.files) + 1} generated files, runbook opened ${after()}; ${results.length} runs, load average ${load.toFixed(1)} -> ${loadavg()[0].toFixed(1)}`);
console.log(`  first diagnostics on it: median ${median('fromOpenMs')} ms from didOpen (${range('fromOpenMs')}), ${median('fromSpawnMs')} ms from the server's spawn (${range('fromSpawnMs')})`);
if (values.full) console.log(`  full index (stats ready): median ${median('fullIndexMs')} ms from spawn; server CPU by then median ${median('cpuMs')} ms (${range('cpuMs')}); peak RSS median ${median('peakRssMb').toFixed(0)} MB`);

function after() {
  return Number(values['open-after']) ? `${values['open-after']} ms after initialized` : 'at start';
}
process.exit(0); // the stdio pipes of the killed servers would keep the event loop alive
