// Benchmark: navigation queries on a large workspace (workspace symbols, definition, references,
// rename edits). Prints figures; asserts nothing.
//   node bench/navigation-bench.mjs [fileCount=10000]   generates the workspace with index-bench.mjs (KEEP=1)
//   node bench/navigation-bench.mjs --ws <folder>       uses an existing workspace
import { loadBundle } from './bundle.mjs';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';

let ws;
let generated = false;
const wsArg = process.argv.indexOf('--ws');
if (wsArg >= 0) ws = process.argv[wsArg + 1];
else {
  const count = process.argv[2] ?? '10000';
  // The same generator as the index benchmark: it keeps its workspace with KEEP=1 and says where.
  const out = execFileSync(process.execPath, ['bench/index-bench.mjs', count], { env: { ...process.env, KEEP: '1' }, encoding: 'utf8', maxBuffer: 1 << 24 });
  process.stdout.write(out.replace(/^workspace kept:.*\n?/m, ''));
  ws = /workspace kept: (.*)/.exec(out)[1].trim();
  generated = true;
}

const nav = await loadBundle('bench-navigation', "export { Engine } from './src/engine/engine'; export * from './src/engine/navigation';");

const engine = await nav.Engine.create(ws);
const index = engine.index;
const files = [...index.files()];
console.log(`\nnavigation on ${index.size} indexed files`);

const stats = (times) => {
  times.sort((a, b) => a - b);
  const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(2);
  return `median ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${times[times.length - 1].toFixed(2)} ms`;
};
const time = (fn) => {
  const s = performance.now();
  const r = fn();
  return [performance.now() - s, r];
};

// First query builds every file's symbol entries (then cached per parse).
const [tFirst, firstHits] = time(() => nav.searchSymbols(index, 'rb', 200));
let entries = 0;
for (const f of files) entries += nav.fileSymbolEntries(f).length;
console.log(`symbol table:               ${entries} entries; first query (builds the table) ${tFirst.toFixed(0)} ms, ${firstHits.length} hits`);

const queries = ['Runbook 4', 'aws_s3_bucket.b1', 'HighErrors', 'deployment/svc-1', 'rollback', 'sg9', 'rsb', 'module.', 'Configure svc-3', 'zzqx', 's', 'steps'];
for (const q of queries) {
  const times = [];
  let hits = 0;
  for (let k = 0; k < 15; k++) {
    const [t, r] = time(() => nav.searchSymbols(index, q, 200));
    times.push(t);
    hits = r.length;
  }
  console.log(`workspace/symbol ${JSON.stringify(q).padEnd(20)} ${String(hits).padStart(4)} hits  ${stats(times)}`);
}

// After a one-file change only that file's entries are rebuilt.
const rb = files.find((f) => f.kind === 'runbook');
await engine.update(rb.path, '---\ntitle: Changed\nowner: x\nservice: y\ntags: [z]\n---\n# Changed\n\n## Fresh section\n');
const [tAfter, afterHits] = time(() => nav.searchSymbols(index, 'fresh section', 20));
console.log(`query after a one-file edit: ${tAfter.toFixed(2)} ms (${afterHits[0]?.name ?? 'not found'})`);

const alertFile = files.find((f) => f.kind === 'alert-rules' && f.references.length);
const ref = alertFile.references[0];
const defTimes = [];
for (let k = 0; k < 50; k++) defTimes.push(time(() => nav.definitionAt(index, alertFile, ref.range.start))[0]);
console.log(`definition (runbook_url):   ${stats(defTimes)}`);

const target = index.get(ref.target) ?? rb;
const refTimes = [];
for (let k = 0; k < 50; k++) refTimes.push(time(() => nav.referencesAt(index, target, { line: 0, character: 0 }))[0]);
console.log(`references (runbook):       ${stats(refTimes)}`);

const tf = files.find((f) => f.kind === 'terraform');
const tfTimes = [];
for (let k = 0; k < 10; k++) tfTimes.push(time(() => nav.referencesAt(index, tf, { line: 1, character: 2 }))[0]);
console.log(`references (TF resource, scans every runbook): ${stats(tfTimes)}`);

const renTimes = [];
for (let k = 0; k < 20; k++) renTimes.push(time(() => nav.renameEdits(index, engine.config, [{ oldPath: target.path, newPath: join(dirname(target.path), 'renamed.md') }]))[0]);
console.log(`willRenameFiles edits:      ${stats(renTimes)}`);

if (generated && !process.env.KEEP) rmSync(dirname(ws), { recursive: true, force: true });
