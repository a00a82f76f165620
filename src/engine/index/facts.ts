import * as path from 'node:path';
import type { OpsReviewConfig } from '../config/schema';
import type { FileSymbol, IndexedFile, ParsedFile } from '../model';
import { alertMetas, alertReferences, prometheusRuleView } from '../parsers/alerts';
import type { MarkdownFile } from '../parsers/markdown';
import { markdownReferences, runbookMeta } from '../parsers/runbookMeta';
import { terraformReferences, terraformSymbols } from '../parsers/terraform';
import type { TerraformFile } from '../parsers/hclAst';
import { getNode, isMap, nodeRange, pairs, seqItems, stringValue, YamlFile } from '../parsers/yaml';
import type { FileKind } from '../types';
import { ansibleIncludeReferences } from '../rules/ansible/ansibleUtil';
import { alertingSymbols } from '../alerting/symbols';
import { gitlabIncludeReferences } from '../rules/deploy/ciJobs';

// What the index remembers about a file beyond its tree: symbols (outline, Infrastructure
// tree, LSP documentSymbol), references (reverse lookups for cross-file rules) and the
// runbook/alert summaries the trees and the checklist query without re-parsing.

export type FileFacts = Pick<IndexedFile, 'symbols' | 'references' | 'runbook' | 'alerts'>;

export function computeFacts(kind: FileKind, parsed: ParsedFile, absPath: string, relPath: string, root: string, config: OpsReviewConfig): FileFacts {
  switch (parsed.type) {
    case 'markdown':
      return {
        symbols: headingSymbols(parsed),
        references: markdownReferences(parsed, absPath),
        runbook: kind === 'runbook' || kind === 'postmortem' ? runbookMeta(parsed, relPath) : undefined,
      };
    case 'terraform':
      return { symbols: terraformSymbols(parsed as TerraformFile), references: terraformReferences(parsed as TerraformFile, absPath) };
    case 'yaml': {
      if (kind === 'alert-rules') {
        const alerts = alertMetas(parsed, absPath, config, root);
        return {
          alerts,
          references: alertReferences(parsed, absPath, config, root),
          symbols: alerts.map((a) => ({ name: a.name, detail: a.labels.severity ?? 'alert', kind: 'alert', range: a.range, selectionRange: a.range })),
        };
      }
      if (kind === 'alertmanager-config' || kind === 'slo-spec') return { symbols: alertingSymbols(parsed), references: [] };
      // A manifest holding PrometheusRule objects further down (or in a `kind: List`) still
      // records its runbook_url references, so renaming a runbook re-lints it.
      const rules = kind === 'k8s-manifest' ? prometheusRuleView(parsed) : undefined;
      // Task and vars files a playbook includes, and the files a GitLab pipeline includes, are
      // linted as such wherever they live (see WorkspaceIndex).
      const includes =
        kind === 'ansible-playbook' || kind === 'ansible-tasks' ? ansibleIncludeReferences(parsed, kind, absPath) : kind === 'gitlab-ci' ? gitlabIncludeReferences(parsed, root) : [];
      return {
        symbols: yamlSymbols(kind, parsed),
        references: rules ? alertReferences(rules, absPath, config, root) : includes,
        alerts: rules ? alertMetas(rules, absPath, config, root) : undefined,
      };
    }
    default:
      return { symbols: [], references: [] };
  }
}

function headingSymbols(md: MarkdownFile): FileSymbol[] {
  // Nest headings by level, as an outline does.
  const top: FileSymbol[] = [];
  const stack: { level: number; sym: FileSymbol }[] = [];
  for (const s of md.sections) {
    const sym: FileSymbol = {
      name: s.heading.text || '(untitled)',
      detail: `h${s.heading.level}`,
      kind: 'section',
      range: { start: s.heading.range.start, end: { line: s.endLine, character: md.lines.line(s.endLine).length } },
      selectionRange: s.heading.range,
      children: [],
    };
    while (stack.length && stack[stack.length - 1].level >= s.heading.level) stack.pop();
    if (stack.length) stack[stack.length - 1].sym.children!.push(sym);
    else top.push(sym);
    stack.push({ level: s.heading.level, sym });
  }
  return top;
}

function yamlSymbols(kind: FileKind, file: YamlFile): FileSymbol[] {
  const out: FileSymbol[] = [];
  for (const doc of file.docs) {
    const root = doc.contents;
    if (kind === 'ansible-playbook' || kind === 'ansible-tasks') {
      for (const item of seqItems(root)) {
        if (!isMap(item)) continue;
        const name = stringValue(getNode(item, 'name')) ?? stringValue(getNode(item, 'import_playbook')) ?? stringValue(getNode(item, 'hosts'));
        const isPlay = kind === 'ansible-playbook';
        out.push({
          name: name ?? (isPlay ? '(unnamed play)' : '(unnamed task)'),
          detail: isPlay ? `hosts: ${stringValue(getNode(item, 'hosts')) ?? '?'}` : 'task',
          kind: isPlay ? 'play' : 'task',
          range: nodeRange(file, item),
          selectionRange: nodeRange(file, item),
        });
      }
    } else if (kind === 'cloud-build') {
      seqItems(getNode(root, 'steps')).forEach((step, i) => {
        if (!isMap(step)) return;
        const id = stringValue(getNode(step, 'id')) ?? stringValue(getNode(step, 'name')) ?? `step ${i + 1}`;
        out.push({ name: id, detail: 'step', kind: 'job', range: nodeRange(file, step), selectionRange: nodeRange(file, step) });
      });
    } else if (kind === 'compose') {
      for (const p of pairs(getNode(root, 'services'))) {
        if (!isMap(p.value)) continue;
        out.push({ name: String(p.key?.value ?? ''), detail: stringValue(getNode(p.value, 'image')) ?? 'service', kind: 'object', range: nodeRange(file, p.value), selectionRange: nodeRange(file, p.key) });
      }
    } else if (kind === 'github-workflow' || kind === 'gitlab-ci') {
      const jobs = kind === 'github-workflow' ? getNode(root, 'jobs') : root;
      for (const p of pairs(jobs)) {
        const key = String(p.key?.value ?? '');
        if (kind === 'gitlab-ci' && (key.startsWith('.') || ['stages', 'variables', 'default', 'include', 'workflow', 'image', 'services', 'before_script', 'after_script', 'cache'].includes(key))) continue;
        if (!isMap(p.value)) continue;
        const env = getNode(p.value, 'environment');
        const envName = stringValue(env) ?? stringValue(getNode(env, 'name'));
        out.push({ name: key, detail: envName ? `environment: ${envName}` : 'job', kind: 'job', range: nodeRange(file, p.value), selectionRange: nodeRange(file, p.key) });
      }
    } else if (kind === 'k8s-manifest') {
      if (!isMap(root)) continue;
      const k = stringValue(getNode(root, 'kind')) ?? 'object';
      const name = stringValue(getNode(getNode(root, 'metadata'), 'name')) ?? '(unnamed)';
      out.push({ name, detail: k, kind: 'object', range: nodeRange(file, root), selectionRange: nodeRange(file, getNode(root, 'kind')) });
    }
  }
  return out;
}

export function dirOf(p: string): string {
  return path.posix.dirname(p);
}
