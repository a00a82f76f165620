// Benchmark: what `opsreview services` adds to a `check` of the same tree. Both need the index
// built and every file linted (the scorecard counts findings); services then infers the model.
// Prints the figures and the ratio (target: the model adds at most 10%); asserts nothing.
//   node bench/services-bench.mjs [folder]            (default: a generated 10,000-file tree)
//   node bench/services-bench.mjs --files 10000 --seed 1
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadBundle } from './bundle.mjs';
import { generate } from './generate.mjs';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { files: { type: 'string', default: '10000' }, seed: { type: 'string', default: '1' }, runs: { type: 'string', default: '3' } } });
const { Engine, inferServices } = await loadBundle('bench-services', "export { Engine } from './src/engine/engine'; export { inferServices } from './src/engine/services/infer';");
let scratch;
let folder = positionals[0] && resolve(positionals[0]);
if (!folder) {
  scratch = mkdtempSync(join(tmpdir(), 'opsreview-services-'));
  folder = join(scratch, 'ws');
  generate(folder, Number(values.files), Number(values.seed));
}
let t = performance.now();
const engine = await Engine.create(folder);
const build = performance.now() - t;
t = performance.now();
const findings = engine.allFindings();
const lint = performance.now() - t;
const times = [];
let model;
for (let i = 0; i < Number(values.runs); i++) {
  t = performance.now();
  model = inferServices(engine.index, engine.config, { findings });
  times.push(performance.now() - t);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
const check = build + lint;
console.log(`tree: ${folder} (${engine.index.size} files indexed)`);
console.log(`check (index + lint): ${(check / 1000).toFixed(2)} s (index ${(build / 1000).toFixed(2)} s, lint ${(lint / 1000).toFixed(2)} s, ${findings.length} findings)`);
console.log(`service model: ${median.toFixed(0)} ms median of ${times.length} (${model.services.length} services, ${model.mismatches.length} owner mismatches)`);
console.log(`services adds ${((median / check) * 100).toFixed(1)}% to check`);
if (scratch) rmSync(scratch, { recursive: true, force: true });
