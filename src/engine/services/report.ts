import type { OwnerMismatch, Ratio, Service, ServiceModel } from './model';
import { SOURCE_LABELS } from './model';

// The service model as people and other tools read it: one JSON object per service (file paths
// relative to the workspace, 1-based lines), a text listing, a markdown scorecard, and Backstage
// catalog entities. The CLI prints these; the Service Overview panel renders the JSON.

export interface ServiceJson {
  service: string;
  aliases: string[];
  sources: string[];
  owner: string | null;
  owners: { source: string; owner: string; file: string; line: number }[];
  runbooks: { title: string; file: string; line: number; kind: string; hasRollback: boolean; via: string }[];
  alerts: { name: string; file: string; line: number; severity: string | null; runbook: string | null; runbookFile: string | null; receivers: string[]; pages: boolean }[];
  slos: { name: string; file: string; line: number; format: string; alerting: string; burnRateAlerts: string[] }[];
  workloads: { kind: string; name: string; namespace: string | null; replicas: number | null; file: string; line: number; images: string[] }[];
  infrastructure: { type: string; address: string; file: string; line: number }[];
  deployJobs: { id: string; file: string; line: number; production: boolean; gate: string | null; deploys: string[] }[];
  findings: { error: number; warning: number; info: number };
  scorecard: {
    alertsWithRunbook: Ratio;
    runbooksWithRollback: Ratio;
    slosWithBurnRate: Ratio;
    productionDeploysGated: Ratio;
    ownerAgreed: boolean | null;
  };
  ownerMismatches: { source: string; owner: string; file: string; line: number; expected: string; expectedFrom: string[] }[];
}

export function serviceJson(s: Service, mismatches: readonly OwnerMismatch[]): ServiceJson {
  const at = (p: { relPath: string; line: number }) => ({ file: p.relPath, line: p.line + 1 });
  return {
    service: s.name,
    aliases: s.aliases,
    sources: s.sources,
    owner: s.owner ?? null,
    owners: s.owners.map((o) => ({ source: o.source, owner: o.owner, ...at(o) })),
    runbooks: s.runbooks.map((r) => ({ title: r.title, ...at(r), kind: r.kind, hasRollback: r.hasRollback, via: r.via })),
    alerts: s.alerts.map((a) => ({ name: a.name, ...at(a), severity: a.severity ?? null, runbook: a.runbookUrl ?? null, runbookFile: a.runbookRelPath ?? null, receivers: a.receivers, pages: a.pages })),
    slos: s.slos.map((x) => ({ name: x.name, ...at(x), format: x.format, alerting: x.alerting, burnRateAlerts: x.burnRateAlerts })),
    workloads: s.workloads.map((w) => ({ kind: w.kind, name: w.name, namespace: w.namespace ?? null, replicas: w.replicas ?? null, ...at(w), images: w.images })),
    infrastructure: s.infrastructure.map((i) => ({ type: i.type, address: i.address, ...at(i) })),
    deployJobs: s.deployJobs.map((d) => ({ id: d.id, ...at(d), production: d.production, gate: d.gate ?? null, deploys: d.deploys })),
    findings: { ...s.findings },
    scorecard: { ...s.scorecard, ownerAgreed: s.scorecard.ownerAgreed ?? null },
    ownerMismatches: mismatches
      .filter((m) => m.service === s.name)
      .map((m) => ({ source: m.claim.source, owner: m.claim.owner, ...at(m.claim), expected: m.expected.owner, expectedFrom: m.agreeing })),
  };
}

export function modelJson(model: ServiceModel): ServiceJson[] {
  return model.services.map((s) => serviceJson(s, model.mismatches));
}

function ratio(r: Ratio): string {
  return r.of ? `${r.met}/${r.of}` : '–';
}

function agreed(v: boolean | undefined): string {
  return v === undefined ? '–' : v ? 'yes' : 'no';
}

export function formatServicesText(model: ServiceModel): string {
  if (!model.services.length) return 'No services found: no runbook, alert, manifest, Terraform tag, SLO or deploy job names one.\n';
  const out: string[] = [];
  for (const s of model.services) {
    const sc = s.scorecard;
    out.push(`${s.name}${s.aliases.length ? ` (also ${s.aliases.join(', ')})` : ''} — owner ${s.owner ?? '(none)'}; from ${s.sources.map((x) => SOURCE_LABELS[x]).join(', ')}`);
    out.push(`  scorecard: alerts with a runbook ${ratio(sc.alertsWithRunbook)}, runbooks with rollback ${ratio(sc.runbooksWithRollback)}, SLOs with burn-rate alerts ${ratio(sc.slosWithBurnRate)}, production deploys gated ${ratio(sc.productionDeploysGated)}, owner agreed ${agreed(sc.ownerAgreed)}`);
    out.push(`  findings: ${s.findings.error} errors, ${s.findings.warning} warnings, ${s.findings.info} info`);
    for (const o of dedupeOwners(s)) out.push(`  owner ${o.owner} (${SOURCE_LABELS[o.source]}, ${o.relPath}:${o.line + 1})`);
    for (const r of s.runbooks) out.push(`  ${r.kind} ${r.relPath}:${r.line + 1} ${r.title}${r.kind === 'runbook' && !r.hasRollback ? ' [no rollback section]' : ''}`);
    for (const a of s.alerts) out.push(`  alert ${a.name} (${a.relPath}:${a.line + 1})${a.severity ? ` severity=${a.severity}` : ''} → ${a.receivers.join(', ') || 'no receiver'}${a.pages ? ' (pages)' : ''}; runbook ${a.runbookUrl ?? 'none'}`);
    for (const x of s.slos) out.push(`  SLO ${x.name} (${x.relPath}:${x.line + 1}) burn-rate alerts: ${x.alerting === 'enabled' ? `generated by ${x.format}` : x.alerting}${x.burnRateAlerts.length ? `; ${x.burnRateAlerts.join(', ')}` : ''}`);
    for (const w of s.workloads) out.push(`  ${w.kind} ${w.namespace ? `${w.namespace}/` : ''}${w.name} (${w.relPath}:${w.line + 1})${w.replicas !== undefined ? ` replicas=${w.replicas}` : ''}`);
    for (const i of s.infrastructure) out.push(`  ${i.type} ${i.address} (${i.relPath}:${i.line + 1})`);
    for (const d of s.deployJobs) out.push(`  deploy job ${d.id} (${d.relPath}:${d.line + 1})${d.production ? (d.gate ? ` production, gated by ${d.gate}` : ' production, NOT gated') : ''}`);
    out.push('');
  }
  return out.join('\n');
}

function dedupeOwners(s: Service) {
  const seen = new Set<string>();
  return s.owners.filter((o) => {
    const k = `${o.source}:${o.key}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function mdCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

export function formatServicesMarkdown(model: ServiceModel): string {
  const out: string[] = ['# Services', ''];
  if (!model.services.length) return out.concat('No services found.', '').join('\n');
  out.push('| Service | Owner | Alerts with a runbook | Runbooks with rollback | SLOs with burn-rate alerts | Production deploys gated | Owner agreed | Findings (E/W/I) |');
  out.push('| --- | --- | ---: | ---: | ---: | ---: | :---: | ---: |');
  for (const s of model.services) {
    const sc = s.scorecard;
    out.push(`| [${mdCell(s.name)}](#${s.name}) | ${mdCell(s.owner ?? '–')} | ${ratio(sc.alertsWithRunbook)} | ${ratio(sc.runbooksWithRollback)} | ${ratio(sc.slosWithBurnRate)} | ${ratio(sc.productionDeploysGated)} | ${agreed(sc.ownerAgreed)} | ${s.findings.error}/${s.findings.warning}/${s.findings.info} |`);
  }
  for (const s of model.services) {
    out.push('', `## ${s.name}`, '');
    out.push(`Inferred from ${s.sources.map((x) => SOURCE_LABELS[x]).join(', ')}.${s.aliases.length ? ` Also named ${s.aliases.map((a) => `\`${a}\``).join(', ')}.` : ''}`, '');
    const owners = dedupeOwners(s);
    if (owners.length) out.push('**Owners:** ' + owners.map((o) => `\`${mdCell(o.owner)}\` (${SOURCE_LABELS[o.source]}, [${o.relPath}](${o.relPath}#L${o.line + 1}))`).join('; '), '');
    const list = (title: string, items: string[]) => {
      if (!items.length) return;
      out.push(`**${title}**`, '', ...items.map((i) => `- ${i}`), '');
    };
    list('Runbooks', s.runbooks.map((r) => `[${mdCell(r.title)}](${r.relPath})${r.kind === 'runbook' ? (r.hasRollback ? '' : ' — no rollback section') : ' (postmortem)'}`));
    list('Alerts', s.alerts.map((a) => `\`${a.name}\`${a.severity ? ` (${a.severity})` : ''} → ${a.receivers.map((r) => `\`${r}\``).join(', ') || 'no receiver'}${a.pages ? ', pages' : ''}; runbook: ${a.runbookUrl ? `[link](${a.runbookRelPath ?? a.runbookUrl})` : 'none'}`));
    list('SLOs', s.slos.map((x) => `\`${x.name}\` ([${x.relPath}](${x.relPath}#L${x.line + 1})): burn-rate alerts ${x.alerting === 'enabled' ? `generated by ${x.format}` : x.alerting}${x.burnRateAlerts.length ? ` (${x.burnRateAlerts.join(', ')})` : ''}`));
    list('Workloads', s.workloads.map((w) => `${w.kind} \`${w.namespace ? `${w.namespace}/` : ''}${w.name}\` ([${w.relPath}](${w.relPath}#L${w.line + 1}))`));
    list('Infrastructure', s.infrastructure.map((i) => `${i.type} \`${i.address}\` ([${i.relPath}](${i.relPath}#L${i.line + 1}))`));
    list('Deploy jobs', s.deployJobs.map((d) => `\`${d.id}\` ([${d.relPath}](${d.relPath}#L${d.line + 1}))${d.production ? (d.gate ? `: production, gated by ${mdCell(d.gate)}` : ': production, **not gated**') : ''}`));
  }
  return out.join('\n') + '\n';
}

/**
 * Backstage catalog entities (`catalog-info.yaml` style, several documents): a Component per
 * service with its owner and links to its runbooks, so a team that runs a portal starts from what
 * the repository already says. `repoUrl` (optional) turns runbook paths into links.
 */
export function formatServicesBackstage(model: ServiceModel, repoUrl?: string): string {
  const docs: string[] = [];
  const q = (s: string) => JSON.stringify(s);
  for (const s of model.services) {
    const lines = [
      'apiVersion: backstage.io/v1alpha1',
      'kind: Component',
      'metadata:',
      `  name: ${q(backstageName(s.name))}`,
      `  title: ${q(s.name)}`,
      '  annotations:',
      `    opsreview.dev/inferred-from: ${q(s.sources.join(','))}`,
    ];
    const runbooks = s.runbooks.filter((r) => r.kind === 'runbook');
    if (runbooks.length) {
      lines.push('  links:');
      for (const r of runbooks) lines.push(`    - url: ${q(repoUrl ? `${repoUrl.replace(/\/$/, '')}/${r.relPath}` : r.relPath)}`, `      title: ${q(`Runbook: ${r.title}`)}`, '      type: runbook');
    }
    lines.push('spec:', '  type: service', '  lifecycle: production', `  owner: ${q(s.owner ? backstageName(s.owner) : 'unknown')}`);
    docs.push(lines.join('\n'));
  }
  return docs.length ? docs.map((d) => `---\n${d}\n`).join('') : '# No services found.\n';
}

/** Backstage entity names: letters, digits, `-`, `_`, `.`, at most 63 characters. */
function backstageName(s: string): string {
  const n = s.replace(/^@/, '').replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[-_.]+|[-_.]+$/g, '');
  return (n || 'unnamed').slice(0, 63);
}
