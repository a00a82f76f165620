#!/usr/bin/env node
// Counts OpsReview findings per rule on real repositories, for docs/precision.md.
//
//   node scripts/precision-counts.mjs [--cli dist/cli.js] [--save FILE] [--before FILE] [--sample N --sample-out FILE] <folder>...
//
// Runs `opsreview check <folder> --format json` for each folder (a repository snapshot, e.g.
// /work/corpus/<owner+name>) and prints a markdown table: repository, rule, count. With
// --before (a file written by --save from another build), the table has a before and an after
// column, so the figures in docs/precision.md can be re-made. --sample N writes up to N findings
// per rule per repository (evenly spread, deterministic) to --sample-out as JSON, for judging.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    cli: { type: 'string', default: 'dist/cli.js' },
    save: { type: 'string' },
    before: { type: 'string' },
    sample: { type: 'string' },
    'sample-out': { type: 'string' },
  },
});
if (!positionals.length) {
  process.stderr.write('usage: node scripts/precision-counts.mjs [--cli dist/cli.js] [--save FILE] [--before FILE] <folder>...\n');
  process.exit(2);
}

/** repo name -> findings (the CLI's JSON). */
const findingsByRepo = {};
for (const folder of positionals) {
  const repo = path.basename(path.resolve(folder));
  let out;
  try {
    out = execFileSync(process.execPath, [values.cli, 'check', folder, '--format', 'json'], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] });
  } catch (e) {
    out = e.stdout; // exit code 1 just means "findings over the limit"
  }
  findingsByRepo[repo] = JSON.parse(out);
}

const countsOf = (byRepo) => {
  const counts = {};
  for (const [repo, findings] of Object.entries(byRepo)) {
    counts[repo] = {};
    for (const f of findings) counts[repo][f.ruleId] = (counts[repo][f.ruleId] ?? 0) + 1;
  }
  return counts;
};
const after = countsOf(findingsByRepo);
if (values.save) writeFileSync(values.save, JSON.stringify(after, null, 2) + '\n');
const before = values.before ? JSON.parse(readFileSync(values.before, 'utf8')) : undefined;

const rows = [];
for (const repo of Object.keys(after)) {
  const rules = new Set([...Object.keys(after[repo]), ...Object.keys(before?.[repo] ?? {})]);
  for (const rule of [...rules].sort()) rows.push([repo, rule, ...(before ? [before[repo]?.[rule] ?? 0] : []), after[repo][rule] ?? 0]);
}
const header = before ? ['Repository', 'Rule', 'Before', 'After'] : ['Repository', 'Rule', 'Count'];
const lines = [`| ${header.join(' | ')} |`, `|${header.map((h, i) => (i < 2 ? ' --- ' : ' ---: ')).join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
const total = (c) => Object.values(c).reduce((n, per) => n + Object.values(per).reduce((a, b) => a + b, 0), 0);
lines.push('', before ? `Total: ${total(before)} before, ${total(after)} after.` : `Total: ${total(after)}.`);
process.stdout.write(lines.join('\n') + '\n');

if (values.sample && values['sample-out']) {
  const n = Number(values.sample);
  const sample = [];
  for (const [repo, findings] of Object.entries(findingsByRepo)) {
    const byRule = {};
    for (const f of findings) (byRule[f.ruleId] ??= []).push(f);
    for (const [rule, list] of Object.entries(byRule)) {
      const step = Math.max(1, list.length / n);
      for (let i = 0; i < Math.min(n, list.length); i++) sample.push({ repo, ...list[Math.floor(i * step)], rule });
    }
  }
  writeFileSync(values['sample-out'], JSON.stringify(sample, null, 2) + '\n');
}
