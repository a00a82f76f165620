import type { IndexedFile } from '../../model';
import type { OpsReviewConfig } from '../../config/schema';
import { rulesFor } from '../../linter';
import type { Rule } from '../types';

// Parse errors travel as findings so that every client (editor, CLI, SARIF) shows them the same
// way. Runbook frontmatter errors belong to `runbook/frontmatter-invalid` instead; this rule
// reports a markdown file's other errors (its encoding, a parser that gave up).
//
// A YAML file no rule needs (every rule of its kind is off or production-only on a test file, or
// a Kubernetes manifest of objects no rule reads: a Service-less CRD, a Namespace) gets its
// parse problems as info, not errors: nothing OpsReview checks is missing, and the file may be a
// deliberately broken test input. The YAML parser has retried it leniently by then (duplicate
// keys allowed, tabs in the indentation read as spaces); the message says whether that read it.
export const rule: Rule = {
  meta: {
    id: 'opsreview/parse-error',
    description: 'The file could not be parsed (or part of it was skipped); rules could not check what they could not read.',
    defaultSeverity: 'error',
    practice: 'valid-configuration',
    kinds: ['runbook', 'postmortem', 'terraform', 'terraform-vars', 'ansible-playbook', 'ansible-tasks', 'ansible-vars', 'ansible-inventory', 'alert-rules', 'github-workflow', 'gitlab-ci', 'cloud-build', 'k8s-manifest', 'compose', 'alertmanager-config', 'slo-spec', 'checklist'],
  },
  check(ctx) {
    // A template skipped before rendering is on the index's skip list (CLI summary, output
    // channel), not a finding per file: there is nothing to fix in it.
    if (ctx.parsed.type === 'yaml' && ctx.parsed.skippedTemplate) return [];
    const ownedByFrontmatterRule = new Set(ctx.parsed.type === 'markdown' ? ctx.parsed.errors : []);
    const errors = ctx.file.errors.filter((e) => !ownedByFrontmatterRule.has(e));
    // OpsReview's own files (team checklists) are read by OpsReview itself: their problems stay what they are.
    if (ctx.parsed.type === 'yaml' && ctx.file.kind !== 'checklist' && errors.length && !neededByRules(ctx.file, ctx.config)) {
      const how = (ctx.parsed as { lenient?: boolean }).lenient ? 'a lenient read (duplicate keys, tabs) got through it' : 'a lenient read failed too';
      return errors.map((e) => ({ range: e.range, message: `${e.message} (no rule checks this file, so this is a note; ${how})`, severity: 'info' as const }));
    }
    return errors.map((e) => ({ range: e.range, message: e.message, severity: e.severity }));
  },
};

/** Kubernetes object kinds some rule reads (workloads, Secrets, Services, PodDisruptionBudgets, PrometheusRules, Lists of them). */
const K8S_KINDS_READ = /^\s*-?\s*kind:\s*["']?(Deployment|StatefulSet|DaemonSet|ReplicaSet|ReplicationController|Job|CronJob|Pod|Secret|Service|PodDisruptionBudget|PrometheusRule|List)["']?\s*(#.*)?$/m;

/** True when some rule other than OpsReview's own reads this YAML file. */
export function neededByRules(file: IndexedFile, config: OpsReviewConfig): boolean {
  if (!rulesFor(file, config).some((r) => !r.meta.id.startsWith('opsreview/'))) return false;
  if (file.kind === 'k8s-manifest') return K8S_KINDS_READ.test(file.parsed.text);
  return true;
}
