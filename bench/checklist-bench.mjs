// Benchmark: evaluate every offered checklist on a folder (index built and linted first), and
// write one run item 200 times. Prints figures; asserts nothing.
//   node bench/checklist-bench.mjs [folder=runbooks]
import { loadBundle } from './bundle.mjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const folder = resolve(process.argv[2] ?? 'runbooks');
const { Engine, availableChecklists, evaluateChecklist, runFile, updateRun } = await loadBundle('bench-checklists', "export { Engine } from './src/engine/engine'; export * from './src/engine/checklists';");

let t = performance.now();
const engine = await Engine.create(folder);
const build = performance.now() - t;
t = performance.now();
const findings = engine.allFindings().length;
const lint = performance.now() - t;
const entries = availableChecklists(engine);
t = performance.now();
for (const e of entries) evaluateChecklist(e.checklist, engine);
const cold = performance.now() - t;
const rounds = 20;
t = performance.now();
for (let i = 0; i < rounds; i++) for (const e of entries) evaluateChecklist(e.checklist, engine);
const warm = (performance.now() - t) / rounds;

const dir = mkdtempSync(join(tmpdir(), 'opsreview-runs-'));
const file = runFile(dir, 'release-gate', 'bench');
t = performance.now();
for (let i = 0; i < 200; i++) await updateRun(file, { [`item-${i % 25}`]: { state: i % 2 ? 'done' : 'open', by: 'bench' } });
const write = (performance.now() - t) / 200;
rmSync(dir, { recursive: true, force: true });

console.log(`folder ${folder}: ${engine.index.size} files, ${findings} findings`);
console.log(`index build ${build.toFixed(0)} ms, lint ${lint.toFixed(0)} ms`);
console.log(`${entries.length} checklists evaluated: ${cold.toFixed(1)} ms first, ${warm.toFixed(1)} ms each round after`);
console.log(`run file write (lock, re-read, merge, atomic rename): ${write.toFixed(2)} ms each`);
