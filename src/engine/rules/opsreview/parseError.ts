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
// keys allowed, tabs in the indentation read as spaces); the message says
// whether that read it. It is one finding per file, on the first problem, with the count of the
// rest: a file that is not YAML at all (a script, an INI file) has hundreds.
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
      // One note per file: what a person fixes first, and how many follow (later problems are
      // mostly the first one read on).
      const how = (ctx.parsed as { lenient?: boolean }).lenient ? 'a lenient read (duplicate keys, tabs) got through it' : 'a lenient read failed too';
      const [first] = errors;
      return [{ range: first.range, message: `${first.message}${more(errors.length - 1)} (no rule checks this file, so this is a note; ${how})`, severity: 'info' as const }];
    }
    if (ctx.parsed.type === 'yaml' && errors.length > MAX_PER_FILE) {
      // Past a handful, the rest follow from the first ones (or the file is not YAML at all).
      const shown = errors.slice(0, MAX_PER_FILE);
      return shown.map((e, i) => ({ range: e.range, message: i === shown.length - 1 ? `${e.message}${more(errors.length - shown.length)}` : e.message, severity: e.severity }));
    }
    return errors.map((e) => ({ range: e.range, message: e.message, severity: e.severity }));
  },
};

/** Parse problems reported one by one in a YAML file rules read; the rest are counted on the last. */
const MAX_PER_FILE = 5;

const more = (n: number): string => (n > 0 ? `; ${n} more parse problem${n === 1 ? '' : 's'} after this one` : '');

/** Kubernetes object kinds some rule reads (workloads, Secrets, Services, PodDisruptionBudgets, PrometheusRules, Lists of them). */
const K8S_KINDS_READ = /^\s*-?\s*kind:\s*["']?(Deployment|StatefulSet|DaemonSet|ReplicaSet|ReplicationController|Job|CronJob|Pod|Secret|Service|PodDisruptionBudget|PrometheusRule|List)["']?\s*(#.*)?$/m;

/** True when some rule other than OpsReview's own reads this YAML file. */
export function neededByRules(file: IndexedFile, config: OpsReviewConfig): boolean {
  if (!rulesFor(file, config).some((r) => !r.meta.id.startsWith('opsreview/'))) return false;
  if (file.kind === 'k8s-manifest') return K8S_KINDS_READ.test(file.parsed.text);
  return true;
}
