import type { Rule } from '../types';

// Parse errors travel as findings so that every client (editor, CLI, SARIF) shows them the same
// way. Runbook frontmatter errors belong to `runbook/frontmatter-invalid` instead; this rule
// reports a markdown file's other errors (its encoding, a parser that gave up).
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
    return ctx.file.errors.filter((e) => !ownedByFrontmatterRule.has(e)).map((e) => ({ range: e.range, message: e.message, severity: e.severity }));
  },
};
