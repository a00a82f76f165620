#!/usr/bin/env node
// Held-out evaluation harness (issue 15). Runs an OpsReview build, as a new user (default
// configuration), on each repository of one half of bench/eval/repos.json and measures:
//   - recognition recall: truth files (bench/eval/truth/<owner+name>.json, made by truth.mjs) that
//     `opsreview files` lists as indexed, per kind;
//   - findings per rule, and a deterministic sample (up to --sample findings per rule per
//     repository, spread evenly over the sorted findings) to judge;
//   - precision of the judged sample: actionable / policy / noise (bench/eval/judgments.json);
//   - recall of the files picked by hand before any run (bench/eval/handpicked.json).
//
//   node bench/eval/run.mjs --cli dist/cli.js --half tune|heldout --out results.json [--only owner/name] [--sample 5]
//   node bench/eval/run.mjs --report results.json           figures again, after judging (no run)
//   node bench/eval/run.mjs --pending results.json [--json]  sample entries not judged yet
//
// Judgments are keyed by repository + rule + file + a normalised snippet of the finding's line
// (not its line number), so a re-run after a change only needs the new findings judged. Values:
// { "verdict": "actionable" | "policy" | "noise", "reason": "one line" }.
// Corpus folders: <corpus>/<half>/<owner+name> (default corpus /work/corpus, or OPSREVIEW_CORPUS).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { split, folderOf } from './split.mjs';
import { truthOf, NON_HEADLINE } from './truth.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    cli: { type: 'string', default: 'dist/cli.js' },
    half: { type: 'string' },
    out: { type: 'string' },
    only: { type: 'string', multiple: true },
    sample: { type: 'string', default: '5' },
    // The CLI's --profile (default: what a new user gets, the config's or `recommended`).
    profile: { type: 'string' },
    corpus: { type: 'string', default: process.env.OPSREVIEW_CORPUS ?? '/work/corpus' },
    judgments: { type: 'string', default: join(here, 'judgments.json') },
    report: { type: 'string' },
    pending: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});

const VERDICTS = ['actionable', 'policy', 'noise'];
const loadJson = (p, dflt) => (existsSync(p) ? JSON.parse(readFileSync(p, 'utf8')) : dflt);
// judgments.json plus every judgments.d/*.json (one file per judge or branch, so parallel
// judging never conflicts); a later file never overrides an earlier key silently.
const judgments = () => {
  const all = { ...loadJson(values.judgments, {}) };
  const dir = join(dirname(values.judgments), 'judgments.d');
  if (existsSync(dir)) {
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
      for (const [k, v] of Object.entries(loadJson(join(dir, f), {}))) {
        // A judgment that records the message it judged applies only to that message: a rule
        // whose message changed at the same line (a per-value finding become a per-file summary)
        // is judged again. Judgments without a message (rounds 1 and 2) apply to the key.
        const at = v.message ? msgKey(k, v.message) : k;
        if (all[at] && all[at].verdict !== v.verdict) process.stderr.write(`judgments: ${f} disagrees on ${k}; kept ${all[at].verdict}\n`);
        else all[at] = v;
      }
    }
  }
  return all;
};

export const normalise = (s) => (s ?? '').replace(/\s+/g, ' ').trim().toLowerCase().slice(0, 160);
export const keyOf = (e) => [e.repo, e.ruleId, e.file, normalise(e.snippet)].join(' | ');
const msgKey = (key, message) => `${key}\u0000${(message ?? '').replace(/\s+/g, ' ').trim()}`;
/** The judgment of a sample entry: one made on this very message first, else one made on the key. */
export const judgmentOf = (j, e) => j[msgKey(e.key, e.message)] ?? j[e.key];

function lineOf(folder, file, line) {
  try {
    const lines = readFileSync(join(folder, file), 'utf8').split(/\r?\n/);
    return lines[Math.max(0, (line ?? 1) - 1)] ?? '';
  } catch {
    return '';
  }
}

function runCli(args) {
  try {
    return execFileSync(process.execPath, [resolve(values.cli), ...args], { encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'], timeout: 20 * 60 * 1000 });
  } catch (e) {
    if (e.stdout) return e.stdout; // exit 1: findings over the limit
    throw e;
  }
}

function evaluateRepo(r, half, n) {
  const folder = join(values.corpus, half, folderOf(r.repo));
  if (!existsSync(folder)) return { repo: r.repo, kind: r.kind, missing: true };
  const t0 = Date.now();
  const findings = JSON.parse(runCli(['check', folder, '--format', 'json', ...(values.profile ? ['--profile', values.profile] : [])]));
  const ms = Date.now() - t0;
  const rows = JSON.parse(runCli(['files', folder, '--format', 'json']));
  const truthFile = join(here, 'truth', `${folderOf(r.repo)}.json`);
  const truth = existsSync(truthFile) ? loadJson(truthFile).files : truthOf(folder);

  // Recognition.
  const rowOf = new Map(rows.map((x) => [x.file, x]));
  const recognition = {};
  const misses = [];
  for (const [file, kind] of Object.entries(truth)) {
    const row = rowOf.get(file);
    const indexed = !!row && row.kind !== 'skipped' && row.kind !== 'not indexed';
    const k = (recognition[kind] ??= { truth: 0, indexed: 0 });
    k.truth++;
    if (indexed) k.indexed++;
    else {
      // a file under a skipped folder is listed through the folder
      let folderRow;
      for (let d = file; !folderRow && d.includes('/'); ) {
        d = d.slice(0, d.lastIndexOf('/'));
        folderRow = rowOf.get(d);
      }
      misses.push({ file, kind, got: row ? `${row.kind}: ${row.reason}` : folderRow ? `folder ${folderRow.file} ${folderRow.kind}: ${folderRow.reason}` : 'not listed by `files`' });
    }
  }

  // Findings per rule and the sample.
  const perRule = {};
  const byRule = {};
  const sorted = [...findings].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.ruleId.localeCompare(b.ruleId) || a.message.localeCompare(b.message));
  for (const f of sorted) {
    perRule[f.ruleId] = (perRule[f.ruleId] ?? 0) + 1;
    (byRule[f.ruleId] ??= []).push(f);
  }
  const sample = [];
  for (const [ruleId, list] of Object.entries(byRule).sort(([a], [b]) => a.localeCompare(b))) {
    const step = list.length / Math.min(n, list.length);
    for (let i = 0; i < Math.min(n, list.length); i++) {
      const f = list[Math.floor(i * step)];
      const e = { repo: r.repo, ruleId, file: f.file, line: f.line, severity: f.severity, message: f.message, snippet: lineOf(folder, f.file, f.line) };
      e.key = keyOf(e);
      sample.push(e);
    }
  }

  // Hand-picked files.
  const picks = loadJson(join(here, 'handpicked.json'), { picks: [] }).picks.filter((p) => p.repo === r.repo);
  const handpicked = picks.map((p) => {
    const on = findings.filter((f) => f.file === p.path);
    const hit = on.filter((f) => p.expect.some((x) => f.ruleId.startsWith(x)));
    return { path: p.path, why: p.why, found: hit.length > 0, rules: [...new Set(on.map((f) => f.ruleId))] };
  });
  return { repo: r.repo, kind: r.kind, ms, findings: findings.length, perRule, recognition, misses, sample, handpicked };
}

function summarise(results, j) {
  const s = { repos: results.length, findings: 0, recognition: { truth: 0, indexed: 0, byKind: {} }, recognitionAll: { truth: 0, indexed: 0 }, recognitionNoTf: { truth: 0, indexed: 0 }, perRepoRecall: [], sample: { judged: 0, pending: 0, actionable: 0, policy: 0, noise: 0 }, perRule: {}, handpicked: { picks: 0, found: 0 } };
  for (const r of results) {
    if (r.missing) continue;
    s.findings += r.findings;
    for (const [kind, k] of Object.entries(r.recognition)) {
      const b = (s.recognition.byKind[kind] ??= { truth: 0, indexed: 0 });
      b.truth += k.truth;
      b.indexed += k.indexed;
      s.recognitionAll.truth += k.truth;
      s.recognitionAll.indexed += k.indexed;
      if (!NON_HEADLINE.has(kind)) {
        s.recognition.truth += k.truth;
        s.recognition.indexed += k.indexed;
        if (kind !== 'terraform') {
          s.recognitionNoTf.truth += k.truth;
          s.recognitionNoTf.indexed += k.indexed;
        }
      }
    }
    const rt = Object.entries(r.recognition).filter(([k]) => !NON_HEADLINE.has(k)).reduce((a, [, k]) => [a[0] + k.indexed, a[1] + k.truth], [0, 0]);
    if (rt[1]) s.perRepoRecall.push(rt[0] / rt[1]);
    for (const [rule, c] of Object.entries(r.perRule)) (s.perRule[rule] ??= { count: 0, actionable: 0, policy: 0, noise: 0, pending: 0 }).count += c;
    for (const e of r.sample) {
      const v = judgmentOf(j, e)?.verdict;
      const pr = s.perRule[e.ruleId];
      if (VERDICTS.includes(v)) {
        s.sample.judged++;
        s.sample[v]++;
        pr[v]++;
      } else {
        s.sample.pending++;
        pr.pending++;
      }
    }
    for (const h of r.handpicked) {
      s.handpicked.picks++;
      if (h.found) s.handpicked.found++;
    }
  }
  return s;
}

const pct = (a, b) => (b ? `${Math.round((100 * a) / b)}%` : '–');

function printReport(res) {
  const j = judgments();
  const s = summarise(res.results, j);
  const out = [];
  out.push(`# ${res.half} half: ${s.repos} repositories, build ${res.build ?? '?'} (${res.cli})`);
  out.push('');
  out.push(`Recognition recall (headline kinds): ${s.recognition.indexed}/${s.recognition.truth} = ${pct(s.recognition.indexed, s.recognition.truth)}; all kinds ${s.recognitionAll.indexed}/${s.recognitionAll.truth} = ${pct(s.recognitionAll.indexed, s.recognitionAll.truth)}`);
  out.push(`Recognition recall without Terraform files (always found by extension): ${s.recognitionNoTf.indexed}/${s.recognitionNoTf.truth} = ${pct(s.recognitionNoTf.indexed, s.recognitionNoTf.truth)}; mean of per-repository recall ${pct(s.perRepoRecall.reduce((a, b) => a + b, 0), s.perRepoRecall.length)}`);
  out.push(`Judged sample: ${s.sample.judged} (pending ${s.sample.pending}): actionable ${s.sample.actionable} (${pct(s.sample.actionable, s.sample.judged)}), policy ${s.sample.policy} (${pct(s.sample.policy, s.sample.judged)}), noise ${s.sample.noise} (${pct(s.sample.noise, s.sample.judged)})`);
  const w = { a: 0, p: 0, n: 0, total: 0 };
  for (const r of res.results) {
    if (r.missing) continue;
    for (const [rule, count] of Object.entries(r.perRule)) {
      const judged = r.sample.filter((e) => e.ruleId === rule && VERDICTS.includes(judgmentOf(j, e)?.verdict));
      if (!judged.length) continue;
      const share = (v) => judged.filter((e) => judgmentOf(j, e).verdict === v).length / judged.length;
      w.a += count * share('actionable');
      w.p += count * share('policy');
      w.n += count * share('noise');
      w.total += count;
    }
  }
  out.push(`Count-weighted (each repository's rule sample share times its findings): actionable ${pct(w.a, w.total)}, policy ${pct(w.p, w.total)}, noise ${pct(w.n, w.total)} of ${w.total} findings`);
  out.push(`Hand-picked files found: ${s.handpicked.found}/${s.handpicked.picks} = ${pct(s.handpicked.found, s.handpicked.picks)}`);
  out.push(`Findings: ${s.findings}`);
  out.push('');
  out.push('| Kind | Truth | Indexed | Recall |');
  out.push('| --- | ---: | ---: | ---: |');
  for (const [k, b] of Object.entries(s.recognition.byKind).sort()) out.push(`| ${k}${NON_HEADLINE.has(k) ? ' (not headline)' : ''} | ${b.truth} | ${b.indexed} | ${pct(b.indexed, b.truth)} |`);
  out.push('');
  out.push('| Rule | Findings | Sample a/p/n (pending) |');
  out.push('| --- | ---: | --- |');
  for (const [rule, p] of Object.entries(s.perRule).sort()) out.push(`| ${rule} | ${p.count} | ${p.actionable}/${p.policy}/${p.noise}${p.pending ? ` (${p.pending})` : ''} |`);
  process.stdout.write(out.join('\n') + '\n');
  return s;
}

if (values.report) {
  printReport(loadJson(values.report));
} else if (values.pending) {
  const res = loadJson(values.pending);
  const j = judgments();
  const pending = res.results.flatMap((r) => r.sample ?? []).filter((e) => !VERDICTS.includes(judgmentOf(j, e)?.verdict));
  const seen = new Set();
  const uniq = pending.filter((e) => !seen.has(e.key) && seen.add(e.key));
  if (values.json) process.stdout.write(JSON.stringify(Object.fromEntries(uniq.map((e) => [e.key, { verdict: '', reason: '', at: `${e.file}:${e.line}`, message: e.message }])), null, 1) + '\n');
  else for (const e of uniq) process.stdout.write(`${e.key}\n    ${e.file}:${e.line}  ${e.ruleId}  ${e.message}\n`);
  process.stderr.write(`${uniq.length} sample entries not judged yet\n`);
} else {
  if (!values.half || !values.out) {
    process.stderr.write('usage: node bench/eval/run.mjs --cli dist/cli.js --half tune|heldout --out results.json\n');
    process.exit(2);
  }
  const repos = split()[values.half].filter((r) => !values.only || values.only.includes(r.repo));
  let build;
  try {
    build = execFileSync('git', ['-C', dirname(resolve(values.cli)), 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {}
  const results = [];
  for (const r of repos) {
    process.stderr.write(`${r.repo} … `);
    const res = evaluateRepo(r, values.half, Number(values.sample));
    process.stderr.write(res.missing ? 'missing\n' : `${res.findings} findings, ${res.ms} ms\n`);
    results.push(res);
  }
  const res = { half: values.half, cli: values.cli, build, date: new Date().toISOString(), results };
  writeFileSync(values.out, JSON.stringify(res, null, 1) + '\n');
  printReport(res);
}
