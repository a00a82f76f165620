// A seeded generator of a real-shaped operations workspace: runbooks (with links between them,
// some broken), Terraform modules, alert rules pointing at runbooks, Kubernetes manifests and
// Ansible playbooks, spread over areas like a platform monorepo. Used by scripts/bench.mjs and
// bench/index-bench.mjs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** mulberry32: small, fast, good enough to vary a benchmark tree reproducibly. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generate(ws, count, seed = 1) {
  const rand = rng(seed);
  const pick = (n) => Math.floor(rand() * n);
  const kinds = ['runbook', 'tf', 'alerts', 'k8s', 'ansible'];
  for (let i = 0; i < count; i++) {
    const kind = kinds[i % kinds.length];
    const team = `team-${pick(17)}`;
    const svc = `svc-${pick(41)}`;
    const sub = join(ws, `area-${i % 50}`);
    for (const d of ['runbooks', 'tf', 'alerts', 'k8s', 'ansible']) mkdirSync(join(sub, d), { recursive: true });
    if (kind === 'runbook') {
      const steps = Array.from({ length: 1 + pick(6) }, (_, k) => `${k + 1}. Check step ${k} on the dashboard.\n\n   \`\`\`bash\n   kubectl -n ${svc} get pods\n   \`\`\`\n`).join('\n');
      const other = pick(100) === 0 ? `rb-missing-${i}` : `rb-${i + 5 * (1 + pick(10))}`;
      writeFileSync(join(sub, 'runbooks', `rb-${i}.md`), `---\ntitle: Runbook ${i}\nservice: ${svc}\nowner: ${team}\ntags: [${svc}, tier${pick(3)}]\nlast_reviewed: 2026-0${1 + pick(9)}-01\n---\n# Runbook ${i}\n\n## Steps\n${steps}\n## Rollback\n1. \`kubectl rollout undo deploy/${svc}\`\n\nSee [the other](${other}.md).\n`);
    } else if (kind === 'tf') {
      writeFileSync(join(sub, 'tf', `res-${i}.tf`), `resource "aws_s3_bucket" "b${i}" {\n  bucket = "bucket-${i}"\n  tags = {\n    owner = "${team}"\n    service = "${svc}"\n  }\n}\n\nresource "aws_security_group" "sg${i}" {\n  name = "sg-${i}"\n  ingress {\n    from_port = 22\n    to_port = 22\n    protocol = "tcp"\n    cidr_blocks = ["${pick(10) === 0 ? '0.0.0.0/0' : '10.0.0.0/8'}"]\n  }\n}\n`);
    } else if (kind === 'alerts') {
      writeFileSync(join(sub, 'alerts', `alerts-${i}.yml`), `groups:\n  - name: g${i}\n    rules:\n      - alert: HighErrors${i}\n        expr: rate(errors_total{service="${svc}"}[5m]) > 0.05\n        for: 10m\n        labels:\n          severity: warning\n          owner: ${team}\n        annotations:\n          summary: Errors high\n          runbook_url: ../../area-${(i - 2) % 50}/runbooks/rb-${i - 2}.md\n`);
    } else if (kind === 'k8s') {
      writeFileSync(join(sub, 'k8s', `deploy-${i}.yaml`), `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${svc}-${i}\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: registry/${svc}:1.${i}\n          readinessProbe:\n            httpGet: { path: /ready, port: 8080 }\n          resources:\n            requests: { cpu: 100m, memory: 128Mi }\n            limits: { cpu: 500m, memory: 256Mi }\n`);
    } else {
      writeFileSync(join(sub, 'ansible', `play-${i}.yml`), `- name: Configure ${svc}\n  hosts: ${svc}\n  serial: 1\n  tasks:\n    - name: Install\n      ansible.builtin.apt:\n        name: nginx=1.24.0-1\n        state: present\n`);
    }
  }
}
