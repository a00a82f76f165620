// Benchmark: index and lint a synthetic workspace, then re-lint after a one-file change.
// Prints figures; asserts nothing (targets are tracked by reading these numbers, not by tests).
//   node bench/index-bench.mjs [fileCount=2000]
import { loadBundle } from './bundle.mjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from './generate.mjs';

const count = Number(process.argv[2] ?? 2000);
const dir = mkdtempSync(join(tmpdir(), 'opsreview-bench-'));
const { Engine } = await loadBundle('bench-engine', "export { Engine } from './src/engine/engine';");

const ws = join(dir, 'ws');
generate(ws, count);

const mb = (n) => `${(n / 1024 / 1024).toFixed(0)} MB`;
global.gc?.();
const heap0 = process.memoryUsage().heapUsed;
let t = performance.now();
const engine = await Engine.create(ws);
const tIndex = performance.now() - t;
t = performance.now();
const findings = engine.allFindings();
const tLint = performance.now() - t;
global.gc?.();
const heap1 = process.memoryUsage().heapUsed;

// One-file change: edit a runbook that alerts point to and re-lint what the change touches.
const target = [...engine.index.files()].find((f) => f.kind === 'runbook').path;
const times = [];
let relinted = 0;
for (let k = 0; k < 20; k++) {
  const text = `---\ntitle: Edited ${k}\nservice: svc-x\nowner: team-x\ntags: [x]\n---\n# Edited ${k}\n\n## Rollback\n- undo\n`;
  const s = performance.now();
  const change = await engine.update(target, text);
  for (const p of change.relint) engine.lintFile(p);
  times.push(performance.now() - s);
  relinted = change.relint.length;
}
times.sort((a, b) => a - b);

console.log(`files generated:            ${count}`);
console.log(`files indexed:              ${engine.index.size}`);
console.log(`index build (discover+parse): ${tIndex.toFixed(0)} ms (${((tIndex / engine.index.size) * 1000).toFixed(0)} µs/file)`);
console.log(`lint all:                   ${tLint.toFixed(0)} ms, ${findings.length} findings`);
console.log(`heap after index+lint:      ${mb(heap1 - heap0)} over baseline${global.gc ? '' : ' (run with --expose-gc for a steadier figure)'}`);
console.log(`one-file update + re-lint:  median ${times[10].toFixed(2)} ms, p95 ${times[18].toFixed(2)} ms (${relinted} files re-linted each time)`);
if (process.env.KEEP) console.log(`workspace kept: ${ws}`); else rmSync(dir, { recursive: true, force: true });
