// `npm run bench [-- <folder>] [--files N] [--seed S] [--out FILE]`: measures, in one run and on
// the same tree, the read-everything floor, a cold `opsreview check`, a warm `check --cache`
// (nothing changed), one-file re-lint p50/p95 and peak RSS, and runs ansible-lint and
// markdownlint-cli2 beside it where they are installed. Prints a table with ratios to the floor
// and writes JSON (bench/results/ by default). Asserts nothing: targets are read off the figures.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, hostname, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadBundle } from '../bench/bundle.mjs';
import { generate } from '../bench/generate.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { files: { type: 'string', default: '10000' }, seed: { type: 'string', default: '1' }, out: { type: 'string' }, runs: { type: 'string', default: '3' } },
});
const repo = resolve(import.meta.dirname, '..');
const cli = join(repo, 'dist', 'cli.js');
if (!existsSync(cli)) execFileSync(process.execPath, [join(repo, 'esbuild.mjs')], { cwd: repo, stdio: 'inherit' });

const scratch = mkdtempSync(join(tmpdir(), 'opsreview-bench-'));
let tree = positionals[0] ? resolve(positionals[0]) : undefined;
if (!tree) {
  tree = join(scratch, 'ws');
  generate(tree, Number(values.files), Number(values.seed));
}
const runs = Number(values.runs);
// The machine may be shared: its load at the start and the end says how far to trust the figures.
const loadBefore = loadavg()[0];
const hasTime = existsSync('/usr/bin/time');

/** Runs a command; wall time in ms and, with /usr/bin/time, peak RSS in MB. */
function timed(cmd, args) {
  const argv = hasTime ? ['/usr/bin/time', ['-f', '__RSS_KB__ %M', cmd, ...args]] : [cmd, args];
  const t = performance.now();
  const r = spawnSync(argv[0], argv[1], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = performance.now() - t;
  const m = /__RSS_KB__ (\d+)/.exec(r.stderr ?? '');
  return { ms, rssMb: m ? Number(m[1]) / 1024 : undefined, status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// The floor, as a process like the checks (Node start included), best of `runs` so the page cache is warm.
const floorRuns = Array.from({ length: runs }, () => timed(process.execPath, [join(repo, 'bench', 'floor.mjs'), tree]));
const floor = { ms: Math.min(...floorRuns.map((r) => r.ms)), ...JSON.parse(floorRuns[0].stdout) };

const output = join(scratch, 'findings.json');
const coldRuns = Array.from({ length: runs }, () => timed(process.execPath, [cli, 'check', tree, '--format', 'json', '--output', output]));
const findings = JSON.parse(readFileSync(output, 'utf8')).length;
const cacheDir = join(scratch, 'cache') + '/';
timed(process.execPath, [cli, 'check', tree, '--format', 'json', '--output', output, '--cache', '--cache-location', cacheDir]);
const warmRuns = Array.from({ length: runs }, () => timed(process.execPath, [cli, 'check', tree, '--format', 'json', '--output', output, '--cache', '--cache-location', cacheDir]));

// One-file re-lint, in process, as the language server does it on every edit.
const { Engine } = await loadBundle('bench-engine', "export { Engine } from './src/engine/engine';", repo);
const engine = await Engine.create(tree);
const files = [...engine.index.files()];
const target = files.find((f) => f.kind === 'runbook') ?? files[0];
const relint = [];
if (target) {
  const original = target.parsed.text;
  for (let k = 0; k < 40; k++) {
    const s = performance.now();
    const change = await engine.update(target.path, `${original}\n<!-- edit ${k} -->\n`);
    for (const p of change.relint) engine.lintFile(p);
    relint.push(performance.now() - s);
  }
}
relint.sort((a, b) => a - b);

// Other tools on the same tree, where installed.
function other(name, args) {
  const which = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  if (which.status !== 0) return { tool: name, installed: false };
  const r = timed(which.stdout.trim(), args);
  return { tool: name, installed: true, ms: r.ms, rssMb: r.rssMb, ratioToFloor: r.ms / floor.ms };
}
const others = [other('ansible-lint', ['--offline', '-q', tree]), other('markdownlint-cli2', [join(tree, '**/*.md')])];

const cold = { ms: median(coldRuns.map((r) => r.ms)), rssMb: median(coldRuns.map((r) => r.rssMb ?? 0)) || undefined };
const warm = { ms: median(warmRuns.map((r) => r.ms)), rssMb: median(warmRuns.map((r) => r.rssMb ?? 0)) || undefined };
const result = {
  date: new Date().toISOString(),
  machine: { host: hostname(), cpus: cpus().length, cpu: cpus()[0]?.model, memGb: Math.round(totalmem() / 2 ** 30), node: process.version, platform: process.platform, loadAverage: { before: loadBefore, after: loadavg()[0] } },
  tree: { path: positionals[0] ? tree : `generated (seed ${values.seed})`, files: floor.files, mb: +(floor.bytes / 2 ** 20).toFixed(1), indexed: engine.index.size, findings },
  floorMs: floor.ms,
  cold: { ...cold, ratioToFloor: cold.ms / floor.ms },
  warm: { ...warm, ratioToFloor: warm.ms / floor.ms },
  relint: { p50Ms: relint[Math.floor(relint.length * 0.5)], p95Ms: relint[Math.floor(relint.length * 0.95)], samples: relint.length, file: target?.relPath },
  others,
  editor: 'time to first diagnostics / full index in VS Code: not measured by this script (see README)',
};

const f1 = (n) => (n === undefined ? '-' : n.toFixed(1));
const f0 = (n) => (n === undefined ? '-' : n.toFixed(0));
console.log(`tree: ${result.tree.path}: ${result.tree.files} files, ${result.tree.mb} MB, ${result.tree.indexed} indexed, ${findings} findings`);
console.log(`machine: ${result.machine.cpus} x ${result.machine.cpu}, ${result.machine.memGb} GB, Node ${process.version}, load average ${loadBefore.toFixed(1)} -> ${loadavg()[0].toFixed(1)}`);
console.log('| measure | time | ratio to floor | peak RSS |');
console.log('|---|---|---|---|');
console.log(`| read-everything floor | ${f0(floor.ms)} ms | 1.0x | |`);
console.log(`| cold \`opsreview check\` | ${f0(cold.ms)} ms | ${f1(result.cold.ratioToFloor)}x | ${f0(cold.rssMb)} MB |`);
console.log(`| warm \`check --cache\` | ${f0(warm.ms)} ms | ${f1(result.warm.ratioToFloor)}x | ${f0(warm.rssMb)} MB |`);
console.log(`| one-file re-lint p50 / p95 | ${f1(result.relint.p50Ms)} / ${f1(result.relint.p95Ms)} ms | | |`);
for (const o of others) console.log(o.installed ? `| ${o.tool} | ${f0(o.ms)} ms | ${f1(o.ratioToFloor)}x | ${f0(o.rssMb)} MB |` : `| ${o.tool} | not installed | | |`);

const out = values.out ?? join(repo, 'bench', 'results', `bench-${result.date.slice(0, 10)}.json`);
mkdirSync(join(out, '..'), { recursive: true });
writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
console.log(`written: ${out}`);
rmSync(scratch, { recursive: true, force: true });
