// Recall on real repositories: how many runbooks and alerts OpsReview recognises in each folder,
// and its findings per rule. Prints figures; asserts nothing. Run from a checkout whose
// `npx tsc -p tsconfig.json` has written out/ (any commit: the engine API it uses is old), e.g.
// to compare a base commit with this one:
//   node bench/recall.mjs /work/corpus/openshift+runbooks /work/corpus/prometheus-operator+runbooks
//   (cd /tmp/base && node /path/to/bench/recall.mjs …)   # the base build's out/
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(join(process.cwd(), 'package.json'));
const { Engine } = require(join(process.cwd(), 'out/src/engine/engine.js'));

for (const root of process.argv.slice(2)) {
  const started = Date.now();
  const engine = await Engine.create(root, { now: new Date('2026-11-25T00:00:00Z'), wasmDir: join(process.cwd(), 'dist') });
  const files = [...engine.index.files()];
  const runbooks = files.filter((f) => f.kind === 'runbook');
  const alertFiles = files.filter((f) => f.alerts?.length || f.kind === 'alert-rules');
  const alerts = alertFiles.reduce((n, f) => n + (f.alerts?.length ?? 0), 0);
  const linked = alertFiles.reduce((n, f) => n + (f.alerts ?? []).filter((a) => a.runbookPath && engine.index.get(a.runbookPath)?.kind === 'runbook').length, 0);
  const byRule = {};
  for (const f of engine.allFindings()) byRule[f.ruleId] = (byRule[f.ruleId] ?? 0) + 1;
  const conventions = engine.conventions ? JSON.stringify({ applied: engine.conventions.applied, severities: engine.conventions.severities?.value, annotations: engine.conventions.runbookAnnotations?.value, base: engine.conventions.runbookBaseUrl?.value, frontmatter: engine.conventions.requiredFrontmatter?.value }) : '(no detection)';
  console.log(JSON.stringify({ root, ms: Date.now() - started, runbooks: runbooks.length, postmortems: files.filter((f) => f.kind === 'postmortem').length, alertFiles: alertFiles.length, alerts, alertsLinkedToIndexedRunbook: linked, findings: byRule, conventions }));
}
