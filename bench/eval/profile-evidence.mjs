// Which rules the `recommended` profile holds, from the judgments of unseen repositories.
//
// Pools the judged sample of first-contact measurements (a run on a half nobody had tuned on
// when it was run), newest first, one verdict per finding key, and applies the criterion of docs/precision.md ("Profiles"): a rule with at least 3
// judged findings whose findings were noise at least twice as often as actionable goes to
// profile `all`; the others stay (secrets and runbook rollbacks are exempt: their weak-evidence
// findings already are in profile `all`, finding by finding). Prints the table and the verdict.
//
//   node bench/eval/profile-evidence.mjs [--json]
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const here = new URL('.', import.meta.url).pathname;
// First-contact measurements of builds since the second round's fixes (older builds' noise
// includes classes fixed since, such as the alert runbook path habit of round 1).
const UNSEEN = ['after-tune3-c82c063-profile-all.json', 'before-tune3-ed7c5e1.json', 'after-heldout3-e6b4a90.json', 'after-heldout2-03a0251.json'];
// Exempt: rules whose weak-evidence findings are in `all` finding by finding, and the engine's
// own reports on files it could not read or configuration it could not use.
const EXEMPT = new Set(['opsreview/parse-error', 'opsreview/config-invalid', 'terraform/hardcoded-secret', 'ansible/secret-plaintext', 'k8s/secret-literal', 'compose/secret-literal', 'runbook/rollback-missing']);
const msgKey = (key, message) => `${key}\u0000${(message ?? '').replace(/\s+/g, ' ').trim()}`;
const j = JSON.parse(readFileSync(join(here, 'judgments.json'), 'utf8'));
for (const f of readdirSync(join(here, 'judgments.d')).filter((n) => n.endsWith('.json')).sort()) {
  for (const [k, v] of Object.entries(JSON.parse(readFileSync(join(here, 'judgments.d', f), 'utf8')))) j[v.message ? msgKey(k, v.message) : k] ??= v;
}
const seen = new Set();
const per = {};
for (const f of UNSEEN) {
  for (const r of JSON.parse(readFileSync(join(here, 'results', f), 'utf8')).results) {
    for (const e of r.sample) {
      const v = (j[msgKey(e.key, e.message)] ?? j[e.key])?.verdict;
      if (!v || seen.has(e.key)) continue;
      seen.add(e.key);
      const c = (per[e.ruleId] ??= { actionable: 0, policy: 0, noise: 0 });
      c[v]++;
    }
  }
}
const rows = Object.entries(per)
  .map(([rule, c]) => {
    const judged = c.actionable + c.policy + c.noise;
    const all = !EXEMPT.has(rule) && judged >= 3 && c.noise >= 2 * c.actionable;
    return { rule, ...c, judged, profile: all ? 'all' : 'recommended', exempt: EXEMPT.has(rule) };
  })
  .sort((a, b) => a.rule.localeCompare(b.rule));
if (process.argv.includes('--json')) console.log(JSON.stringify(rows, null, 1));
else {
  console.log('| Rule | Judged | Actionable | Policy | Noise | Profile by the criterion |\n| --- | ---: | ---: | ---: | ---: | --- |');
  for (const r of rows) console.log(`| \`${r.rule}\` | ${r.judged} | ${r.actionable} | ${r.policy} | ${r.noise} | ${r.profile}${r.exempt ? ' (exempt: weak-evidence findings are in `all`)' : r.judged < 3 ? ' (fewer than 3 judged: unchanged)' : ''} |`);
}
