import { ALL_RULE_METAS } from './rules';
import { docsPath, RuleMeta } from './rules/types';

// Renders the README's rule table and crosswalk from the rules' meta (scripts/gen-readme.mjs),
// so documentation cannot drift from what the engine runs.

const PACKS: [string, string][] = [
  ['runbook', 'Runbooks and postmortems'],
  ['alert', 'Prometheus alert rules'],
  ['alertmanager', 'Alertmanager routing'],
  ['slo', 'SLO specifications (Sloth, OpenSLO, Pyrra)'],
  ['postmortem', 'Postmortems'],
  ['terraform', 'Terraform'],
  ['ansible', 'Ansible'],
  ['deploy', 'Deploy workflows (GitHub Actions, GitLab CI, Cloud Build)'],
  ['k8s', 'Kubernetes manifests'],
  ['compose', 'Docker Compose'],
  ['opsreview', 'The engine itself'],
];

function byPack(pack: string): RuleMeta[] {
  return ALL_RULE_METAS.filter((m) => m.id.startsWith(pack + '/'));
}

export function renderRuleTable(): string {
  const out: string[] = [];
  for (const [pack, title] of PACKS) {
    const metas = byPack(pack);
    if (!metas.length) continue;
    out.push(`**${title}**`, '', '| Rule | Severity | Practice | Fix | What it finds |', '|---|---|---|---|---|');
    for (const m of metas) {
      out.push(`| [\`${m.id}\`](${docsPath(m.id)}) | ${m.defaultSeverity}${m.profile === 'all' ? ' (profile `all`)' : ''} | ${m.practice} | ${m.fixable ? 'yes' : ''} | ${m.description.replace(/\|/g, '\\|')} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

export function renderCrosswalk(): string {
  const tools = ['ansible-lint', 'tflint', 'checkov', 'trivy', 'kics', 'kube-linter', 'zizmor', 'pint', 'amtool', 'markdownlint'] as const;
  const rows = ALL_RULE_METAS.filter((m) => m.equivalents?.length);
  const used = tools.filter((t) => rows.some((m) => m.equivalents!.some((e) => e.tool === t)));
  const out = [`| OpsReview | ${used.join(' | ')} |`, `|---|${used.map(() => '---').join('|')}|`];
  for (const m of rows) {
    out.push(`| \`${m.id}\` | ${used.map((t) => m.equivalents!.filter((e) => e.tool === t).map((e) => `\`${e.id}\``).join(', ')).join(' | ')} |`);
  }
  return out.join('\n') + '\n';
}

export { renderChecklistItems } from './checklists/readme';
