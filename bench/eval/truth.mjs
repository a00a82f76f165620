#!/usr/bin/env node
// Recognition ground truth for the held-out evaluation (issue 15): which files of a repository a
// person reads as a runbook, postmortem, Ansible playbook / role file / tasks / vars, CI pipeline,
// alert rule file, alert routing file, Kubernetes manifest, Docker Compose file or Terraform file.
//
//   node bench/eval/truth.mjs <folder> [--json]            one repository: its truth, by kind
//   node bench/eval/truth.mjs --half tune|heldout --write  every repository of a half -> bench/eval/truth/<owner+name>.json
//
// Written from the file formats themselves (paths, YAML shapes, markdown headings and command
// blocks), NOT from OpsReview's classifier: it imports nothing from src/. Spot-checked by reading
// (see docs/precision.md, "Held-out evaluation (issue 15)"). Kinds with a `:` carry a sub-kind;
// `headline: false` kinds are listed but left out of the headline recall (formats OpsReview does
// not claim: other CI systems, unrendered Helm templates of manifests).
import { readdirSync, readFileSync, lstatSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, relative, basename, dirname, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { split, folderOf } from './split.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '..', '..', 'package.json'));
const YAML = require('yaml');
process.removeAllListeners('warning');

const SKIP_DIRS = new Set(['.git', 'node_modules', 'vendor', '.terraform', '.bundle', 'bower_components', '__pycache__']);
const MAX_BYTES = 1024 * 1024;

/** Kinds that do not count in the headline recall (see the header). */
export const NON_HEADLINE = new Set(['pipeline:other', 'manifest:helm-template']);

function* walk(root, dir = root) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const full = join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) yield* walk(root, full);
    } else if (e.isFile()) {
      yield relative(root, full).split('\\').join('/');
    }
  }
}

const MD_EXT = /\.(md|markdown|mdx|md\.erb|html\.md|html\.md\.erb)$/i;
const YAML_EXT = /\.(ya?ml)$/i;
const NOT_DOCS = /(^|\/)(CHANGELOG|CHANGES|CONTRIBUTING|LICEN[CS]E|CODE_OF_CONDUCT|SECURITY|CODEOWNERS|AUTHORS|NOTICE|MAINTAINERS|GOVERNANCE|SUPPORT|pull_request_template|PULL_REQUEST_TEMPLATE)[^/]*$/i;

function headings(text) {
  const out = [];
  const lines = text.split(/\r?\n/);
  let fence = false;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (/^\s*(```|~~~)/.test(l)) fence = !fence;
    if (fence) continue;
    const m = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(l);
    if (m) out.push(m[1].toLowerCase());
    else if (i + 1 < lines.length && /^\s*(=+|-{3,})\s*$/.test(lines[i + 1]) && l.trim() && !/^\s*[-*|]/.test(l)) out.push(l.trim().toLowerCase());
  }
  return out;
}

const CMD = /\b(kubectl|gcloud|aws |az |psql|mysql|ssh |knife|bosh|cf |fly |helm |terraform|systemctl|ansible|gitlab-rails|curl |docker |oc |mongosh|redis-cli|vault |consul |etcdctl|sudo |journalctl|openstack )/;

function codeBlocks(text) {
  return (text.match(/```[\s\S]*?```|~~~[\s\S]*?~~~|(^|\n)( {4}|\t)\S[^\n]*/g) ?? []).join('\n');
}

const RUNBOOK_PATH = /(^|\/)(runbooks?|playbooks?|on-?call|sops?|procedures|incident[-_]?(management|response)|support|guides|troubleshooting|operations|ops)(\/|[-_.])/i;
const RUNBOOK_HEAD = /(symptom|diagnos|mitigat|remediat|resolution|troubleshoot|roll ?back|escalat|investigat|verif|how to fix|recover|restor|failover|procedure|steps|checklist|alert|impact|triage|what to do|runbook|playbook|rotat|upgrad|migrat|backup|disaster|decommission)/;
const PM_HEAD = /(timeline|root cause|contributing factor|action items?|lessons learn|what went (wrong|well)|follow[- ]?ups?|5 whys|five whys|trigger|detection)/;

/** markdown (or extensionless markdown) -> 'runbook' | 'postmortem' | undefined */
function classifyMarkdown(rel, text, linkedRunbooks) {
  if (NOT_DOCS.test(rel) || /(^|\/)\.github\//.test(rel)) return undefined;
  if (linkedRunbooks.has(rel)) return 'runbook';
  if (/^readme\.[a-z.]+$/i.test(rel)) return undefined; // the repository's own front page
  const fmTitle = /^---\n[\s\S]*?\ntitle:\s*['"]?([^\n'"]+)/.exec(text)?.[1];
  const hs = [...(fmTitle ? [fmTitle.toLowerCase()] : []), ...headings(text)];
  const pmHits = new Set(hs.flatMap((h) => (h.match(PM_HEAD) ? [h.match(PM_HEAD)[1]] : [])));
  const lower = text.toLowerCase();
  const fm = /^---\n([\s\S]*?)\n---/.exec(text)?.[1] ?? '';
  if ((pmHits.has('timeline') && pmHits.size >= 2) || pmHits.size >= 3) return 'postmortem';
  if (/(^|\n)(company|incident|outage)[a-z_]*:/i.test(fm) && /\b(outage|incident|disruption|root cause|postmortem|post-mortem)\b/.test(lower)) return 'postmortem';
  if (/(^|\/)(post-?mortems?|incident-?reviews?|retros?)(\/|$)/i.test(dirname(rel)) && /\b(outage|incident|root cause)\b/.test(lower)) return 'postmortem';
  if (/(^|\/)(adr|architecture[_-]decision|decisions?)[^/]*\//i.test(rel) || /(^|\/)ADR\d/i.test(rel)) return undefined;
  if (/(^|\/)(exercises?|labs?|tutorials?|workshops?|training|decks|slides|demos?)\//i.test(rel) && !RUNBOOK_PATH.test(rel)) return undefined;
  if (hs.length && /\b(runbook|playbook|procedure|sop)\b/.test(hs[0])) return 'runbook';
  const runHeads = hs.filter((h) => RUNBOOK_HEAD.test(h)).length;
  const cmds = CMD.test(codeBlocks(text));
  if (RUNBOOK_PATH.test(rel) && (runHeads >= 1 || cmds)) return 'runbook';
  if (runHeads >= 2 && cmds) return 'runbook';
  if (/\*\*remediation (actions|recommendations):?\*\*|^#+\s*remediation/im.test(text) && /severity/i.test(text)) return 'runbook';
  return undefined;
}

const ANSIBLE_MODULE = /^(ansible\.builtin\.|ansible\.posix\.|community\.|amazon\.aws\.|kubernetes\.core\.|openstack\.|containers\.|(shell|command|raw|script|copy|template|file|lineinfile|blockinfile|service|systemd|apt|yum|dnf|package|pip|git|get_url|unarchive|user|group|include_tasks|import_tasks|include_role|import_role|set_fact|debug|assert|fail|uri|wait_for|stat|mount|cron|sysctl|replace|fetch|slurp|setup|meta|pause|reboot|add_host|group_by|block|include_vars|authorized_key|modprobe|seboolean|firewalld|ufw|iptables|docker_container|k8s)$)/;

function yamlDocs(text) {
  try {
    const docs = YAML.parseAllDocuments(text, { strict: false, uniqueKeys: false, prettyErrors: false });
    return docs.map((d) => (d.errors?.length ? undefined : d.toJS({ maxAliasCount: 1000 })));
  } catch {
    return [undefined];
  }
}

const isObj = (v) => v && typeof v === 'object' && !Array.isArray(v);

/** YAML -> kind | undefined */
function classifyYaml(rel, text, gitlabIncludes) {
  const name = basename(rel);
  if (/(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/.test(rel)) return 'pipeline:github';
  if (/(^|\/)\.?gitlab-ci\.ya?ml$/.test(rel) || /\.gitlab-ci\.ya?ml$/.test(name) || gitlabIncludes.has(rel)) return 'pipeline:gitlab';
  if (/(^|\/)\.circleci\/config\.ya?ml$/.test(rel) || /(^|\/)zuul\.d\/[^/]+$/.test(rel) || /(^|\/)(azure-pipelines|\.azure-pipelines)/.test(rel)) return 'pipeline:other';
  if (/(^|\/)(docker-)?compose([.-][^/]*)?\.ya?ml$/.test(name)) return 'compose';
  if (/(^|\/)(group_vars|host_vars)\//.test(rel)) return 'ansible:vars';
  const roleMatch = /(^|\/)roles\/(?:[^/]+\/)*?[^/]+\/(tasks|handlers|vars|defaults)\/(?:[^/]+\/)*[^/]+\.ya?ml$/.exec(rel);
  if (roleMatch && !/(^|\/)(molecule|tests?)\//.test(rel.slice(rel.indexOf('roles/')))) return `ansible:role-${roleMatch[2]}`;
  const templated = /\{\{|\{%/.test(text);
  const docs = yamlDocs(text);
  const d0 = docs.find((d) => d !== undefined);
  // Prometheus / PrometheusRule / Grafana-managed alert rules.
  const hasAlertRule = (groups) =>
    Array.isArray(groups) && groups.some((g) => isObj(g) && Array.isArray(g.rules) && g.rules.some((r) => isObj(r) && ('alert' in r || ('title' in r && ('condition' in r || 'data' in r)))));
  for (const d of docs) {
    if (!isObj(d)) continue;
    if (hasAlertRule(d.groups) || hasAlertRule(d.spec?.groups)) return 'alert-rules';
    if ((isObj(d.route) && Array.isArray(d.receivers)) || (d.apiVersion === 1 && (Array.isArray(d.contactPoints) || Array.isArray(d.policies)))) return 'alert-routing';
  }
  if (templated && /kind:\s*PrometheusRule/.test(text) && /^\s*-\s*alert:/m.test(text)) return 'alert-rules';
  if (templated && /^groups:/m.test(text) && /^\s*-\s*alert:/m.test(text)) return 'alert-rules';
  // Pipelines by content.
  for (const d of docs) {
    if (!isObj(d)) continue;
    if (isObj(d.jobs) && ('on' in d || true in d) && Object.values(d.jobs).some((j) => isObj(j) && ('runs-on' in j || 'uses' in j || 'steps' in j))) return 'pipeline:github';
    if (Array.isArray(d.steps) && d.steps.length && d.steps.every((s) => isObj(s) && typeof s.name === 'string' && /[/:.]/.test(s.name) && ('args' in s || 'entrypoint' in s || 'script' in s || 'id' in s))) return 'pipeline:cloudbuild';
    if (Array.isArray(d.stages) && Object.values(d).some((j) => isObj(j) && ('script' in j || 'trigger' in j || 'extends' in j) && !('task' in j))) return 'pipeline:gitlab';
    if (isObj(d.phases) && ('version' in d)) return 'pipeline:other';
    if ((Array.isArray(d.stages) || Array.isArray(d.steps)) && ('trigger' in d || 'pool' in d || 'pr' in d)) return 'pipeline:other';
    if (Array.isArray(d.jobs) && Array.isArray(d.resources)) return 'pipeline:other';
  }
  // Ansible plays and task lists.
  if (Array.isArray(d0) && d0.length && d0.every(isObj)) {
    if (d0.some((p) => 'hosts' in p || 'import_playbook' in p || 'ansible.builtin.import_playbook' in p)) return 'ansible:playbook';
    if (d0.some((t) => Object.keys(t).some((k) => ANSIBLE_MODULE.test(k)))) {
      if (/(^|\/)(molecule|tests?)\//.test(rel)) return 'ansible:tasks';
      return 'ansible:tasks';
    }
    // job lists of Zuul and the like
    if (d0.some((t) => 'job' in t || 'project' in t) && /zuul/.test(rel)) return 'pipeline:other';
  }
  // Kubernetes manifests (a chart's unrendered templates apart).
  if (templated && /(^|\/)templates\//.test(rel) && /^apiVersion:\s*\S+/m.test(text) && /^kind:\s*[A-Z]\w+/m.test(text)) return 'manifest:helm-template';
  const k8s = (d) => isObj(d) && typeof d.apiVersion === 'string' && typeof d.kind === 'string' && /^[A-Z]/.test(d.kind);
  if (docs.some(k8s)) return 'manifest';
  if (templated && /^apiVersion:\s*\S+/m.test(text) && /^kind:\s*[A-Z]\w+/m.test(text)) return 'manifest:helm-template';
  // Compose by content.
  for (const d of docs) if (isObj(d) && isObj(d.services) && Object.values(d.services).some((s) => isObj(s) && ('image' in s || 'build' in s))) return 'compose';
  return undefined;
}

/** Runbook paths named by alert annotations (relative to the repo root or the rule file). */
function linkedFromAlerts(root, files) {
  const out = new Set();
  const all = new Set(files);
  for (const rel of files) {
    if (!YAML_EXT.test(rel)) continue;
    let text;
    try {
      text = readFileSync(join(root, rel), 'utf8');
    } catch {
      continue;
    }
    if (!/alert:/.test(text)) continue;
    for (const m of text.matchAll(/(?:runbook(?:_url)?|playbook|link)\s*:\s*['"]?([^'"\s#]+)/g)) {
      let target = m[1];
      if (/^https?:/.test(target)) {
        // a URL into this repository's own tree (…/blob/<ref>/<path> or …/-/blob/<ref>/<path>)
        const b = /\/blob\/[^/]+\/(.+)$/.exec(target);
        if (!b) continue;
        target = b[1];
      }
      for (const cand of [target, posix.join(posix.dirname(rel), target)]) {
        const clean = posix.normalize(cand).replace(/^\.\//, '');
        if (all.has(clean)) out.add(clean);
      }
    }
  }
  return out;
}

/** GitLab CI files pulled in by `include: local`. */
function gitlabIncludes(root, files) {
  const out = new Set();
  for (const rel of files) {
    if (!/gitlab-ci\.ya?ml$/.test(rel)) continue;
    const text = readFileSync(join(root, rel), 'utf8');
    for (const m of text.matchAll(/local:\s*['"]?\/?([^'"\s]+)/g)) out.add(m[1].replace(/^\//, ''));
  }
  return out;
}

export function truthOf(root) {
  const files = [...walk(root)];
  const linked = linkedFromAlerts(root, files);
  const includes = gitlabIncludes(root, files);
  const byFile = {};
  for (const rel of files) {
    let size;
    try {
      size = lstatSync(join(root, rel)).size;
    } catch {
      continue;
    }
    if (size > MAX_BYTES || size === 0) continue;
    let kind;
    if (/\.tf$/.test(rel)) kind = 'terraform';
    else if (MD_EXT.test(rel) || (!/\.[A-Za-z0-9]+$/.test(basename(rel)) && size < MAX_BYTES)) {
      const text = readFileSync(join(root, rel), 'utf8');
      if (!MD_EXT.test(rel) && !/^#\s+\S/.test(text)) continue; // extensionless: only markdown-looking text
      if (text.includes('\u0000')) continue;
      kind = classifyMarkdown(rel, text, linked);
    } else if (YAML_EXT.test(rel)) {
      const text = readFileSync(join(root, rel), 'utf8');
      kind = classifyYaml(rel, text, includes);
    }
    if (kind) byFile[rel] = kind;
  }
  return byFile;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const halfIdx = args.indexOf('--half');
  if (halfIdx >= 0) {
    const half = args[halfIdx + 1];
    const corpus = process.env.OPSREVIEW_CORPUS ?? '/work/corpus';
    mkdirSync(join(here, 'truth'), { recursive: true });
    for (const r of split()[half]) {
      const folder = folderOf(r.repo);
      const t = truthOf(join(corpus, half, folder));
      const counts = {};
      for (const k of Object.values(t)) counts[k] = (counts[k] ?? 0) + 1;
      if (args.includes('--write')) writeFileSync(join(here, 'truth', `${folder}.json`), JSON.stringify({ repo: r.repo, counts, files: t }, null, 1) + '\n');
      console.log(r.repo, JSON.stringify(counts));
    }
  } else {
    const t = truthOf(args[0]);
    if (args.includes('--json')) console.log(JSON.stringify(t, null, 1));
    else {
      const counts = {};
      for (const k of Object.values(t)) counts[k] = (counts[k] ?? 0) + 1;
      console.log(counts);
    }
  }
}
