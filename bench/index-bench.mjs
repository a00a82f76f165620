// Benchmark: index and lint a synthetic workspace, then re-lint after a one-file change.
// Prints figures; asserts nothing (targets are tracked by reading these numbers, not by tests).
//   node bench/index-bench.mjs [fileCount=2000]
import * as esbuild from 'esbuild';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const count = Number(process.argv[2] ?? 2000);
const dir = mkdtempSync(join(tmpdir(), 'opsreview-bench-'));
// Bundled inside the repo (out/ is ignored) so the WASM grammars resolve from node_modules.
mkdirSync('out', { recursive: true });
const bundle = join(process.cwd(), 'out', 'bench-engine.cjs');
await esbuild.build({ entryPoints: ['src/engine/engine.ts'], bundle: true, platform: 'node', format: 'cjs', outfile: bundle, logLevel: 'warning', logOverride: { 'require-resolve-not-external': 'silent' } });
const { Engine } = createRequire(import.meta.url)(bundle);

const ws = join(dir, 'ws');
const kinds = ['runbook', 'tf', 'alerts', 'k8s', 'ansible'];
for (let i = 0; i < count; i++) {
  const kind = kinds[i % kinds.length];
  const team = `team-${i % 17}`;
  const svc = `svc-${i % 41}`;
  const sub = join(ws, `area-${i % 50}`);
  mkdirSync(join(sub, 'runbooks'), { recursive: true });
  mkdirSync(join(sub, 'tf'), { recursive: true });
  mkdirSync(join(sub, 'alerts'), { recursive: true });
  mkdirSync(join(sub, 'k8s'), { recursive: true });
  mkdirSync(join(sub, 'ansible'), { recursive: true });
  if (kind === 'runbook') {
    writeFileSync(join(sub, 'runbooks', `rb-${i}.md`), `---\ntitle: Runbook ${i}\nservice: ${svc}\nowner: ${team}\ntags: [${svc}, tier${i % 3}]\nlast_reviewed: 2026-0${1 + (i % 9)}-01\n---\n# Runbook ${i}\n\n## Steps\n1. Check the dashboard.\n\n   \`\`\`bash\n   kubectl rollout restart deploy/${svc}\n   \`\`\`\n\n## Rollback\n1. \`kubectl rollout undo deploy/${svc}\`\n\nSee [the other](${i % 100 === 0 ? `rb-missing-${i}` : `rb-${i + 50}`}.md).\n`);
  } else if (kind === 'tf') {
    writeFileSync(join(sub, 'tf', `res-${i}.tf`), `resource "aws_s3_bucket" "b${i}" {\n  bucket = "bucket-${i}"\n  tags = {\n    owner = "${team}"\n    service = "${svc}"\n  }\n}\n\nresource "aws_security_group" "sg${i}" {\n  name = "sg-${i}"\n  ingress {\n    from_port = 22\n    to_port = 22\n    protocol = "tcp"\n    cidr_blocks = ["10.0.0.0/8"]\n  }\n}\n`);
  } else if (kind === 'alerts') {
    writeFileSync(join(sub, 'alerts', `alerts-${i}.yml`), `groups:\n  - name: g${i}\n    rules:\n      - alert: HighErrors${i}\n        expr: rate(errors_total{service="${svc}"}[5m]) > 0.05\n        for: 10m\n        labels:\n          severity: warning\n          owner: ${team}\n        annotations:\n          summary: Errors high\n          runbook_url: ../../area-${(i - 2) % 50}/runbooks/rb-${i - 2}.md\n`);
  } else if (kind === 'k8s') {
    writeFileSync(join(sub, 'k8s', `deploy-${i}.yaml`), `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${svc}-${i}\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: registry/${svc}:1.${i}\n          readinessProbe:\n            httpGet: { path: /ready, port: 8080 }\n          resources:\n            requests: { cpu: 100m, memory: 128Mi }\n            limits: { cpu: 500m, memory: 256Mi }\n`);
  } else {
    writeFileSync(join(sub, 'ansible', `play-${i}.yml`), `- name: Configure ${svc}\n  hosts: ${svc}\n  serial: 1\n  tasks:\n    - name: Install\n      ansible.builtin.apt:\n        name: nginx=1.24.0-1\n        state: present\n`);
  }
}

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
