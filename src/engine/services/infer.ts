import { isMap, Node, Scalar } from 'yaml';
import { routingOf, workspaceAlerts } from '../alerting/route';
import type { OpsReviewConfig } from '../config/schema';
import type { IndexedFile, IndexView } from '../model';
import type { HclBlock, HclExpr, TerraformFile } from '../parsers/hclAst';
import type { SloFile } from '../parsers/slo';
import { getNode, getPair, nodeRange, pairs, seqItems, stringValue, yamlOf, YamlFile, YNode } from '../parsers/yaml';
import { alertsOf } from '../rules/alert/alertUtil';
import { ciJobs, deployCommand, gateOf, gitlabStages, manualOnly, productionDeploy } from '../rules/deploy/ciJobs';
import { containers, workloads } from '../rules/k8s/workloads';
import { rollbackHeadingRe } from '../rules/runbook/runbookUtil';
import type { Finding, Range } from '../types';
import type { OwnerClaim, OwnerMismatch, Place, Service, ServiceModel, ServiceSource } from './model';
import { isServiceName, ownerKey, serviceKey } from './names';
import { roleOfPath, roleShortName } from '../ansibleRoles';

// Infers services from every kind of file, with no configuration:
// - runbooks: frontmatter `service`, else the folder under a runbooks/docs root
//   (`docs/<service>/…`), else the service of the alerts that link to them;
// - alert rules: the label key the repository uses for services (`service`, `app`, `job`,
//   `type`, `component`: the one most alerts carry, as the severity vocabulary is detected);
// - Kubernetes workloads: `app.kubernetes.io/part-of`, `app.kubernetes.io/name`, `app`,
//   `k8s-app`, then the namespace;
// - Terraform: `service`/`app`/`application` tags or labels (provider `default_tags` included);
// - SLO specs: the Sloth/OpenSLO/Pyrra service fields;
// - deploy jobs: what they deploy (manifest paths, images, Helm releases) or a service name in the job id;
// - Ansible: roles named after a service or one of its workloads.
// Owners are read per kind and compared after normalising (services/names.ts).

const ALERT_SERVICE_KEYS = ['service', 'app', 'job', 'type', 'component'] as const;
const OWNER_KEYS = ['owner', 'team'];
const TF_SERVICE_KEYS = ['service', 'Service', 'app', 'App', 'application', 'Application', 'service_name', 'ServiceName'];
const TF_OWNER_KEYS = ['owner', 'Owner', 'team', 'Team'];
const RUNBOOK_ROOTS = new Set(['runbooks', 'runbook', 'docs', 'doc', 'playbooks', 'content', 'services', 'apps', 'applications']);
/** Order in which kinds settle a tie between owners. */
const OWNER_PRIORITY: ServiceSource[] = ['config', 'runbook', 'slo', 'alert', 'workload', 'terraform', 'deploy', 'ansible'];

interface Builder {
  services: Map<string, Service>;
  /** Every name seen for a service (workload names, releases, images, folders) → service key. */
  alias: Map<string, string>;
  config: OpsReviewConfig;
  routing: boolean;
}

function place(f: IndexedFile, line: number): Place {
  return { path: f.path, relPath: f.relPath, line };
}

function emptyService(name: string): Service {
  return {
    name,
    aliases: [],
    sources: [],
    owners: [],
    runbooks: [],
    alerts: [],
    slos: [],
    workloads: [],
    infrastructure: [],
    deployJobs: [],
    findings: { error: 0, warning: 0, info: 0 },
    scorecard: { alertsWithRunbook: { met: 0, of: 0 }, runbooksWithRollback: { met: 0, of: 0 }, slosWithBurnRate: { met: 0, of: 0 }, productionDeploysGated: { met: 0, of: 0 } },
    spans: [],
  };
}

/** The service a raw name belongs to (config merges and known aliases applied), or undefined when it is no service name. */
function resolve(b: Builder, raw: string | undefined): string | undefined {
  if (!isServiceName(raw)) return undefined;
  const k = serviceKey(raw);
  if (b.config.services.ignore.some((i) => serviceKey(i) === k)) return undefined;
  return b.alias.get(k) ?? k;
}

function serviceOf(b: Builder, raw: string, source: ServiceSource): Service | undefined {
  const key = resolve(b, raw);
  if (!key) return undefined;
  let s = b.services.get(key);
  if (!s) {
    s = emptyService(key);
    b.services.set(key, s);
  }
  if (!s.sources.includes(source)) s.sources.push(source);
  const rawKey = serviceKey(raw);
  if (rawKey !== key && !s.aliases.includes(rawKey)) s.aliases.push(rawKey);
  return s;
}

function addAlias(b: Builder, name: string | undefined, service: string): void {
  if (!isServiceName(name)) return;
  const k = serviceKey(name);
  if (b.alias.has(k) || b.services.has(k)) return;
  b.alias.set(k, service);
  const s = b.services.get(service);
  if (s && k !== service && !s.aliases.includes(k)) s.aliases.push(k);
}

/** Places already claimed per service (one Terraform default tag backs many resources). */
const claimed = new WeakMap<Service, Set<string>>();

function claim(s: Service, source: ServiceSource, f: IndexedFile, owner: string | undefined, range: Range | undefined): void {
  if (!owner || !range || /[{}$<>]/.test(owner)) return;
  const key = ownerKey(owner);
  if (!key) return;
  let seen = claimed.get(s);
  if (!seen) claimed.set(s, (seen = new Set()));
  const at = `${f.path}:${range.start.line}:${range.start.character}`;
  if (seen.has(at)) return;
  seen.add(at);
  s.owners.push({ ...place(f, range.start.line), source, owner, key, range });
}

export interface InferOptions {
  /** Counted per service (the findings of the files and spans that belong to it). */
  findings?: readonly Finding[];
  /** Route each alert through the Alertmanager configurations (receivers, paging); off for the rule, which needs owners only. */
  routing?: boolean;
}

/** Builds the service model of the workspace. */
export function inferServices(index: IndexView, config: OpsReviewConfig, opts: InferOptions = {}): ServiceModel {
  const { findings, routing = true } = opts;
  const b: Builder = { services: new Map(), alias: new Map(), config, routing };
  for (const [name, members] of Object.entries(config.services.merge)) {
    const key = serviceKey(name);
    for (const m of members) b.alias.set(serviceKey(m), key);
  }
  // Order matters: kinds that name services most directly first, so later kinds (deploy jobs,
  // Ansible roles, runbooks without frontmatter) can attach to services already known.
  fromSlos(b, index);
  fromWorkloads(b, index);
  const alertFiles = fromAlerts(b, index);
  fromTerraform(b, index);
  fromRunbooks(b, index, alertFiles);
  fromDeployJobs(b, index);
  fromAnsible(b, index);
  linkBurnRateAlerts(b);
  for (const [name, owner] of Object.entries(config.services.owners)) {
    const s = b.services.get(resolve(b, name) ?? '');
    if (s) s.owners.unshift({ path: '', relPath: '.opsreview.yml', line: 0, source: 'config', owner, key: ownerKey(owner), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } });
  }
  const mismatches: OwnerMismatch[] = [];
  const services = [...b.services.values()].sort((x, y) => x.name.localeCompare(y.name));
  for (const s of services) {
    mismatches.push(...settleOwners(s));
    score(s);
  }
  if (findings) countFindings(services, findings);
  return { services, mismatches };
}

// ---- runbooks ------------------------------------------------------------------------------

function fromRunbooks(b: Builder, index: IndexView, alertServiceByRunbook: Map<string, string>): void {
  const rollbackRe = rollbackHeadingRe(b.config); // compiled once, not per runbook
  for (const f of index.byKind('runbook', 'postmortem')) {
    const m = f.runbook;
    if (!m) continue;
    let via = 'frontmatter';
    let raw = m.service;
    if (!isServiceName(raw)) {
      raw = folderService(f.relPath);
      via = 'folder';
    }
    if (!isServiceName(raw) && alertServiceByRunbook.has(f.path)) {
      raw = alertServiceByRunbook.get(f.path);
      via = 'alert';
    }
    if (!raw) continue;
    const s = serviceOf(b, raw, 'runbook');
    if (!s) continue;
    const md = f.parsed.type === 'markdown' ? f.parsed : undefined;
    const titleLine = md?.headings[0]?.line ?? 0;
    s.runbooks.push({ ...place(f, titleLine), title: m.title, kind: f.kind as 'runbook' | 'postmortem', hasRollback: !!md && !!rollbackRe && md.headings.some((h) => rollbackRe.test(h.text)), via });
    s.spans.push({ path: f.path, start: 0, end: Number.MAX_SAFE_INTEGER });
    if (md?.frontmatter) {
      for (const k of ['owner', 'team']) {
        const v = md.frontmatter.data[k];
        if (typeof v === 'string') {
          claim(s, 'runbook', f, v, md.frontmatter.valueRanges.get(k));
          break;
        }
      }
    }
  }
}

/** `docs/payments/restart.md` → `payments`: the folder right under a runbooks or docs root. */
export function folderService(relPath: string): string | undefined {
  const dirs = relPath.split('/').slice(0, -1);
  for (let i = dirs.length - 2; i >= 0; i--) {
    if (RUNBOOK_ROOTS.has(dirs[i].toLowerCase()) && isServiceName(dirs[i + 1])) return dirs[i + 1];
  }
  return undefined;
}

// ---- alerts --------------------------------------------------------------------------------

/** The label key the repository names services with: the candidate most alerts carry. */
export function alertServiceKey(labelSets: Record<string, string>[]): string | undefined {
  let best: string | undefined;
  let bestCount = 0;
  for (const k of ALERT_SERVICE_KEYS) {
    const n = labelSets.filter((l) => isServiceName(l[k])).length;
    if (n > bestCount) {
      best = k;
      bestCount = n;
    }
  }
  return best;
}

/** Returns the service of each runbook an alert links to (for runbooks that name none). */
function fromAlerts(b: Builder, index: IndexView): Map<string, string> {
  const byRunbook = new Map<string, string>();
  const all = workspaceAlerts(index, b.config);
  const key = alertServiceKey(all.map((wa) => wa.alert.labels));
  if (!key) return byRunbook;
  const sevLabel = b.config.alerts.severityLabel;
  const nodesByFile = new Map<string, Map<string, { owner?: Range; ownerValue?: string; end: number }>>();
  for (const wa of all) {
    const raw = wa.alert.labels[key];
    if (!raw) continue;
    const s = serviceOf(b, raw, 'alert');
    if (!s) continue;
    let nodes = nodesByFile.get(wa.file.path);
    if (!nodes) {
      nodes = alertNodes(wa.file, b.config);
      nodesByFile.set(wa.file.path, nodes);
    }
    const n = nodes.get(`${wa.alert.name}@${wa.alert.line}`);
    const hits = b.routing ? routingOf(index, b.config, wa).routes.flatMap((r) => r.receivers) : [];
    const runbookUrl = b.config.alerts.runbookAnnotations.map((a) => wa.alert.annotations[a]).find(Boolean);
    const runbookRel = wa.alert.runbookPath ? index.get(wa.alert.runbookPath)?.relPath ?? undefined : undefined;
    const owner = OWNER_KEYS.map((k) => wa.alert.labels[k]).find(Boolean);
    s.alerts.push({
      ...place(wa.file, wa.alert.line),
      name: wa.alert.name,
      severity: wa.alert.labels[sevLabel],
      runbookUrl,
      runbookRelPath: runbookRel,
      receivers: [...new Set(hits.map((h) => h.receiver))],
      pages: hits.some((h) => h.paging),
      owner,
    });
    s.spans.push({ path: wa.file.path, start: wa.alert.range.start.line, end: n?.end ?? wa.alert.range.end.line });
    if (n?.owner) claim(s, 'alert', wa.file, n.ownerValue, n.owner);
    if (wa.alert.runbookPath && !byRunbook.has(wa.alert.runbookPath)) byRunbook.set(wa.alert.runbookPath, s.name);
  }
  return byRunbook;
}

/** Owner label value ranges and end lines of each alert of a file, keyed `name@line`. */
function alertNodes(f: IndexedFile, config: OpsReviewConfig): Map<string, { owner?: Range; ownerValue?: string; end: number }> {
  const out = new Map<string, { owner?: Range; ownerValue?: string; end: number }>();
  const parsed = alertsOf(f.parsed, f);
  if (!parsed) return out;
  for (const a of parsed.alerts) {
    const r = nodeRange(parsed.yaml, a.alertPair.key as Node);
    let owner: Range | undefined;
    let ownerValue: string | undefined;
    for (const k of config.alerts.ownerLabels) {
      const p = getPair(a.labels, k);
      const v = p && stringValue(p.value as YNode);
      if (p && v) {
        owner = nodeRange(parsed.yaml, p.value as Node);
        ownerValue = v;
        break;
      }
    }
    out.set(`${a.name}@${r.start.line}`, { owner, ownerValue, end: nodeRange(parsed.yaml, a.map).end.line });
  }
  return out;
}

// ---- SLOs ----------------------------------------------------------------------------------

function fromSlos(b: Builder, index: IndexView): void {
  for (const f of index.byKind('slo-spec')) {
    const file = f.parsed as SloFile;
    if (!file.slos) continue;
    const y = yamlOf(f.parsed);
    // Sloth names the service at the top (`service:`), the CRD and OpenSLO under `spec.service`.
    const docService = (y?.docs ?? []).map((d) => stringValue(getNode(d.contents as YNode, 'service')) ?? stringValue(getNode(getNode(d.contents as YNode, 'spec'), 'service'))).find(isServiceName);
    for (const slo of file.slos) {
      const raw = [slo.labels.service, slo.labels.sloth_service, docService, slo.labels['app.kubernetes.io/name'], slo.labels.app].find(isServiceName);
      if (!raw) continue;
      const s = serviceOf(b, raw, 'slo');
      if (!s) continue;
      s.slos.push({ ...place(f, slo.range.start.line), name: slo.name, format: slo.format, alerting: slo.alerting.state, burnRateAlerts: [] });
      s.spans.push({ path: f.path, start: 0, end: Number.MAX_SAFE_INTEGER });
      if (y) for (const c of ownerNodes(y, OWNER_KEYS)) claim(s, 'slo', f, c.value, c.range);
    }
  }
}

/** `owner:`/`team:` values anywhere in labels of the file's documents (first of each document). */
function ownerNodes(y: YamlFile, keys: readonly string[]): { value: string; range: Range }[] {
  const out: { value: string; range: Range }[] = [];
  const visit = (n: YNode, depth: number): boolean => {
    if (depth > 4 || !isMap(n)) return false;
    for (const p of pairs(n)) {
      const k = String((p.key as Scalar)?.value ?? '');
      const v = stringValue(p.value as YNode);
      if (keys.includes(k) && v) {
        out.push({ value: v, range: nodeRange(y, p.value as Node) });
        return true;
      }
    }
    for (const p of pairs(n)) if (visit(p.value as YNode, depth + 1)) return true;
    return false;
  };
  for (const d of y.docs) visit(d.contents as YNode, 0);
  return out;
}

function linkBurnRateAlerts(b: Builder): void {
  for (const s of b.services.values()) {
    for (const slo of s.slos) {
      const name = slo.name.toLowerCase();
      slo.burnRateAlerts = s.alerts.filter((a) => /burn|error.?budget/i.test(a.name) || a.name.toLowerCase().includes(name)).map((a) => a.name);
    }
  }
}

// ---- Kubernetes ----------------------------------------------------------------------------

function labelOf(obj: YNode, key: string): string | undefined {
  return stringValue(getNode(getNode(getNode(obj, 'metadata'), 'labels'), key));
}

function fromWorkloads(b: Builder, index: IndexView): void {
  for (const f of index.byKind('k8s-manifest')) {
    const y = yamlOf(f.parsed);
    if (!y) continue;
    for (const w of workloads(y)) {
      const meta = getNode(w.object, 'metadata');
      const namespace = stringValue(getNode(meta, 'namespace'));
      const raw = [labelOf(w.object, 'app.kubernetes.io/part-of'), labelOf(w.object, 'app.kubernetes.io/name'), labelOf(w.object, 'app'), labelOf(w.object, 'k8s-app'), namespace !== 'default' && namespace !== 'kube-system' ? namespace : undefined, w.name].find(isServiceName);
      if (!raw) continue;
      const s = serviceOf(b, raw, 'workload');
      if (!s) continue;
      addAlias(b, w.name, s.name);
      addAlias(b, labelOf(w.object, 'app.kubernetes.io/name'), s.name);
      const images = containers(w).map((c) => stringValue(getNode(c.node, 'image'))).filter((i): i is string => !!i);
      for (const img of images) addAlias(b, imageName(img), s.name);
      const r = nodeRange(y, w.object);
      const replicas = Number(stringValue(getNode(getNode(w.object, 'spec'), 'replicas')));
      s.workloads.push({ ...place(f, r.start.line), kind: w.kind, name: w.name, namespace, replicas: Number.isFinite(replicas) ? replicas : undefined, images });
      s.spans.push({ path: f.path, start: r.start.line, end: r.end.line });
      const labels = getNode(meta, 'labels');
      for (const k of OWNER_KEYS) {
        const p = getPair(labels, k);
        const v = p && stringValue(p.value as YNode);
        if (p && v) {
          claim(s, 'workload', f, v, nodeRange(y, p.value as Node));
          break;
        }
      }
    }
  }
}

/** `ghcr.io/acme/checkout-api:1.2` → `checkout-api`. */
export function imageName(image: string): string {
  const noDigest = image.split('@')[0];
  const last = noDigest.slice(noDigest.lastIndexOf('/') + 1);
  return last.split(':')[0];
}

// ---- Terraform -----------------------------------------------------------------------------

interface TagItem {
  value: string;
  range: Range;
}

/** Flattens a tags expression (object, `merge(…)`, `local.x`) into literal key → value items. */
function tagItems(e: HclExpr | undefined, locals: Map<string, HclExpr>, depth = 0): Map<string, TagItem> {
  const out = new Map<string, TagItem>();
  if (!e || depth > 6) return out;
  if (e.type === 'object') {
    for (const it of e.items) if (it.value.type === 'string') out.set(it.key, { value: it.value.value, range: it.value.range });
  } else if (e.type === 'call' && (e.name === 'merge' || e.name === 'tomap')) {
    for (const a of e.args) for (const [k, v] of tagItems(a, locals, depth + 1)) out.set(k, v);
  } else if (e.type === 'reference') {
    const m = /^local\.([A-Za-z_][\w-]*)$/.exec(e.path);
    if (m) return tagItems(locals.get(m[1]), locals, depth + 1);
  }
  return out;
}

function fromTerraform(b: Builder, index: IndexView): void {
  const byDir = new Map<string, IndexedFile[]>();
  for (const f of index.byKind('terraform')) {
    if (f.parsed.type !== 'terraform') continue;
    const dir = f.path.slice(0, f.path.lastIndexOf('/'));
    const list = byDir.get(dir) ?? [];
    list.push(f);
    byDir.set(dir, list);
  }
  for (const files of byDir.values()) {
    const locals = new Map<string, HclExpr>();
    const defaults = new Map<string, TagItem & { file: IndexedFile }>();
    for (const f of files) {
      for (const blk of (f.parsed as TerraformFile).body.blocks) {
        if (blk.type === 'locals') for (const a of blk.attributes) locals.set(a.name, a.value);
      }
    }
    for (const f of files) {
      for (const blk of (f.parsed as TerraformFile).body.blocks) {
        if (blk.type !== 'provider') continue;
        for (const dt of blk.blocks.filter((x) => x.type === 'default_tags')) {
          const tags = dt.attributes.find((a) => a.name === 'tags');
          for (const [k, v] of tagItems(tags?.value, locals)) defaults.set(k, { ...v, file: f });
        }
      }
    }
    for (const f of files) {
      for (const blk of (f.parsed as TerraformFile).body.blocks) {
        if (blk.type !== 'resource' && blk.type !== 'module') continue;
        const own = new Map<string, TagItem & { file: IndexedFile }>();
        for (const name of ['tags', 'labels', 'default_tags']) {
          const a = blk.attributes.find((x) => x.name === name);
          for (const [k, v] of tagItems(a?.value, locals)) own.set(k, { ...v, file: f });
        }
        if (blk.type === 'module') {
          const sa = blk.attributes.find((x) => x.name === 'service' || x.name === 'service_name');
          if (sa?.value.type === 'string') own.set('service', { value: sa.value.value, range: sa.value.range, file: f });
        }
        const tags = blk.type === 'resource' ? new Map([...defaults, ...own]) : own;
        const svc = TF_SERVICE_KEYS.map((k) => tags.get(k)).find((t) => t && isServiceName(t.value));
        if (!svc) continue;
        const s = serviceOf(b, svc.value, 'terraform');
        if (!s) continue;
        s.infrastructure.push({ ...place(f, blk.range.start.line), type: blk.type === 'module' ? 'module' : 'resource', address: address(blk) });
        s.spans.push({ path: f.path, start: blk.range.start.line, end: blk.range.end.line });
        const owner = TF_OWNER_KEYS.map((k) => tags.get(k)).find(Boolean);
        if (owner) claim(s, 'terraform', owner.file, owner.value, owner.range);
      }
    }
  }
}

function address(blk: HclBlock): string {
  return blk.type === 'module' ? `module.${blk.labels[0]}` : blk.labels.join('.');
}

// ---- deploy jobs ---------------------------------------------------------------------------

/** What a deploy job's commands name: manifest paths (`-f`, `-k`), images, Helm releases. */
export function deployedThings(script: string): string[] {
  const text = script.replace(/\\\r?\n/g, ' ');
  const out = new Set<string>();
  for (const m of text.matchAll(/\bkubectl\b[^\n]*?\s(?:-f|--filename|-k|--kustomize)[=\s]+(\S+)/g)) out.add(m[1].replace(/^["']|["']$/g, ''));
  for (const m of text.matchAll(/\bhelm\s+(?:upgrade|install)\s+(?:--install\s+|-i\s+)?(?:-\S+\s+)*([\w.-]+)/g)) out.add(m[1]);
  for (const m of text.matchAll(/\b(?:docker|podman)\s+(?:push|build[^\n]*?\s(?:-t|--tag)[=\s]*)\s*(\S+)/g)) out.add(m[1].replace(/^["']|["']$/g, ''));
  for (const m of text.matchAll(/\bkubectl\b[^\n]*?\s(?:set\s+image|rollout\s+\w+)\s+(?:-\S+\s+)*(?:deployment|deploy|statefulset|sts|daemonset|ds)\/([\w.-]+)/g)) out.add(m[1]);
  return [...out];
}

function fromDeployJobs(b: Builder, index: IndexView): void {
  // Manifest files by relative path and folder, for `kubectl apply -f k8s/checkout.yaml`.
  const workloadFiles = new Map<string, string[]>();
  for (const s of b.services.values()) {
    for (const w of s.workloads) {
      const list = workloadFiles.get(w.relPath) ?? [];
      if (!list.includes(s.name)) list.push(s.name);
      workloadFiles.set(w.relPath, list);
    }
  }
  for (const f of index.byKind('github-workflow', 'gitlab-ci', 'cloud-build')) {
    const y = yamlOf(f.parsed);
    if (!y) continue;
    const jobs = ciJobs(y, f.kind);
    const stages = f.kind === 'gitlab-ci' ? gitlabStages(y) : [];
    const manual = f.kind === 'github-workflow' && manualOnly(y);
    for (const job of jobs) {
      if (!deployCommand(job)) continue;
      const things = deployedThings(job.script);
      const targets = new Set<string>();
      for (const t of things) {
        const rel = t.replace(/^\.\//, '').replace(/\/$/, '');
        for (const [file, svcs] of workloadFiles) if (file === rel || file.startsWith(`${rel}/`)) svcs.forEach((x) => targets.add(x));
        const k = resolve(b, imageName(t));
        if (k && b.services.has(k)) targets.add(k);
      }
      if (!targets.size) {
        // A service named in the job id or name (`deploy-checkout`, `Deploy payments worker`):
        // every run of its words, looked up (not every service tried against every job).
        for (const text of [job.id, job.name]) {
          const words = text.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
          for (let i = 0; i < words.length; i++) {
            for (let j = i + 1; j <= Math.min(words.length, i + 4); j++) {
              const k = resolve(b, words.slice(i, j).join('-'));
              if (k && b.services.has(k)) targets.add(k);
            }
          }
        }
      }
      const prod = productionDeploy(job);
      const r = nodeRange(y, job.pair.key as Node);
      for (const t of targets) {
        const s = serviceOf(b, t, 'deploy');
        if (!s) continue;
        s.deployJobs.push({ ...place(f, r.start.line), id: job.id, production: !!prod, gate: prod ? gateOf(job, jobs, f.kind, stages, manual) : undefined, deploys: things });
        s.spans.push({ path: f.path, start: r.start.line, end: nodeRange(y, job.node).end.line });
      }
    }
  }
}

// ---- Ansible -------------------------------------------------------------------------------

function fromAnsible(b: Builder, index: IndexView): void {
  const seen = new Set<string>();
  for (const f of index.byKind('ansible-tasks', 'ansible-vars', 'ansible-playbook')) {
    // A role at any depth (`roles/<group>/<role>/tasks/…`): its own name is the last segment.
    const role = roleOfPath(f.relPath);
    if (!role || !['tasks', 'handlers', 'defaults', 'vars'].includes(role.part)) continue;
    const key = resolve(b, roleShortName(role.name));
    if (!key || !b.services.has(key)) continue; // only roles named after a service the other kinds know
    const s = b.services.get(key)!;
    if (!s.sources.includes('ansible')) s.sources.push('ansible');
    s.spans.push({ path: f.path, start: 0, end: Number.MAX_SAFE_INTEGER });
    const id = `${key}:${role.name}`;
    if (seen.has(id)) continue;
    seen.add(id);
    s.infrastructure.push({ ...place(f, 0), type: 'ansible-role', address: `role ${role.name}` });
  }
}

// ---- owners, scorecard, findings -----------------------------------------------------------

/** Settles the service's owner and returns the kinds that disagree with it. */
function settleOwners(s: Service): OwnerMismatch[] {
  // Each kind's owner: the one most of its claims name (a DBA runbook among a team's runbooks is not a disagreement of kinds).
  const perKind = new Map<ServiceSource, OwnerClaim>();
  for (const src of OWNER_PRIORITY) {
    const claims = s.owners.filter((o) => o.source === src);
    if (!claims.length) continue;
    const counts = new Map<string, number>();
    for (const c of claims) counts.set(c.key, (counts.get(c.key) ?? 0) + 1);
    const top = [...counts.entries()].sort((x, y) => y[1] - x[1])[0][0];
    perKind.set(src, claims.find((c) => c.key === top)!);
  }
  if (!perKind.size) return [];
  const kindsByKey = new Map<string, ServiceSource[]>();
  for (const [src, c] of perKind) kindsByKey.set(c.key, [...(kindsByKey.get(c.key) ?? []), src]);
  const config = perKind.get('config');
  const rank = (key: string) => Math.min(...kindsByKey.get(key)!.map((k) => OWNER_PRIORITY.indexOf(k)));
  const expectedKey = config?.key ?? [...kindsByKey.keys()].sort((x, y) => kindsByKey.get(y)!.length - kindsByKey.get(x)!.length || rank(x) - rank(y))[0];
  const expected = [...perKind.values()].find((c) => c.key === expectedKey)!;
  s.owner = expected.owner;
  s.scorecard.ownerAgreed = perKind.size > 1 ? kindsByKey.size === 1 : undefined;
  const out: OwnerMismatch[] = [];
  // On a tie the kind that names services most directly (OWNER_PRIORITY) is taken as right.
  for (const [src, c] of perKind) {
    if (c.key === expectedKey || src === 'config') continue;
    out.push({ service: s.name, claim: c, expected, agreeing: kindsByKey.get(expectedKey)! });
  }
  return out;
}

function score(s: Service): void {
  const sc = s.scorecard;
  sc.alertsWithRunbook = { met: s.alerts.filter((a) => a.runbookUrl).length, of: s.alerts.length };
  const runbooks = s.runbooks.filter((r) => r.kind === 'runbook');
  sc.runbooksWithRollback = { met: runbooks.filter((r) => r.hasRollback).length, of: runbooks.length };
  sc.slosWithBurnRate = { met: s.slos.filter((x) => x.alerting === 'enabled' || x.burnRateAlerts.length > 0).length, of: s.slos.length };
  const prod = s.deployJobs.filter((d) => d.production);
  sc.productionDeploysGated = { met: prod.filter((d) => d.gate).length, of: prod.length };
}

/** One pass over the findings, with the spans of every service indexed by path (not services × findings). */
function countFindings(services: Service[], findings: readonly Finding[]): void {
  const byPath = new Map<string, { s: Service; start: number; end: number }[]>();
  for (const s of services) for (const sp of s.spans) byPath.set(sp.path, [...(byPath.get(sp.path) ?? []), { s, start: sp.start, end: sp.end }]);
  for (const f of findings) {
    const spans = byPath.get(f.path);
    if (!spans) continue;
    const counted = new Set<Service>();
    for (const sp of spans) {
      if (counted.has(sp.s) || f.range.start.line < sp.start || f.range.start.line > sp.end) continue;
      counted.add(sp.s);
      sp.s.findings[f.severity]++;
    }
  }
}

/** Kinds the model reads (a change to any other file cannot change it). */
const MODEL_KINDS = ['runbook', 'postmortem', 'alert-rules', 'k8s-manifest', 'slo-spec', 'terraform', 'github-workflow', 'gitlab-ci', 'cloud-build', 'ansible-tasks', 'ansible-vars', 'ansible-playbook'] as const;
/** Lines that can name a service or an owner, or place one: what the model's claims come from. */
const CLAIM_LINE = /(owner|team|service|app|part-of|component|job|type|namespace|name|image|tags|labels|alert|runbook|kubectl|helm|docker|environment)\b/i;

interface RuleModelCache {
  generation: number | undefined;
  config: OpsReviewConfig;
  model: ServiceModel;
  /** Per file: the parse it was read from and the signature of its claim lines (with their line numbers). */
  files: Map<string, { parsed: object; sig: string }>;
}

const modelCache = new WeakMap<IndexView, RuleModelCache>();

function claimSignature(text: string): string {
  const out: string[] = [];
  let line = 0;
  for (const l of text.split('\n')) {
    if (CLAIM_LINE.test(l)) out.push(`${line}:${l}`);
    line++;
  }
  return out.join('\n');
}

/**
 * The owners-only model (no routing, no findings) that rules read. An edit re-lints the edited
 * file and asks again: the model is rebuilt only when some file's claim lines (the lines that can
 * name a service or an owner, with their positions) changed, or files came or went; typing in a
 * runbook's body reuses it (a whole rebuild on 10,000 files takes hundreds of milliseconds).
 */
export function servicesForRules(index: IndexView, config: OpsReviewConfig): ServiceModel {
  const hit = modelCache.get(index);
  if (hit && hit.config === config && hit.generation !== undefined && hit.generation === index.generation) return hit.model;
  const files = new Map<string, { parsed: object; sig: string }>();
  let same = !!hit && hit.config === config;
  for (const f of index.byKind(...MODEL_KINDS)) {
    const before = hit?.files.get(f.path);
    const entry = before && before.parsed === f.parsed ? before : { parsed: f.parsed, sig: claimSignature(f.parsed.text) };
    if (same && (!before || before.sig !== entry.sig)) same = false;
    files.set(f.path, entry);
  }
  if (same && hit && hit.files.size === files.size) {
    hit.generation = index.generation;
    hit.files = files;
    return hit.model;
  }
  const model = inferServices(index, config, { routing: false });
  modelCache.set(index, { generation: index.generation, config, model, files });
  return model;
}

/** The service whose span holds `path` at `line`, if any (for hovers and the Runbooks tree). */
export function serviceAt(model: ServiceModel, path: string, line = 0): Service | undefined {
  return model.services.find((s) => s.spans.some((sp) => sp.path === path && line >= sp.start && line <= sp.end));
}

