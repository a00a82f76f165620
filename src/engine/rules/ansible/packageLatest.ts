import { YamlFile } from '../../parsers/yaml';
import type { RuleFinding } from '../../types';
import type { Rule } from '../types';
import { argValue, findArg, moduleArgs, PACKAGE_MODULES, tasksOf, yamlOf } from './ansibleUtil';

// `state: latest` installs whatever version the repository has today: two runs of the same
// playbook deploy different software, and an upstream release reaches production untested.
// Patch management belongs in a deliberate process (pin or `present`, upgrade on purpose).
// Production-only: a test bed, a workshop exercise or a demo VM wants today's packages.
export const rule: Rule<YamlFile> = {
  meta: {
    id: 'ansible/package-latest',
    description: 'A package task uses `state: latest`, so each run may install a different, untested version.',
    defaultSeverity: 'warning',
    profile: 'all',
    practice: 'patch-management',
    kinds: ['ansible-playbook', 'ansible-tasks'],
    productionOnly: true,
    fixable: true,
    equivalents: [{ tool: 'ansible-lint', id: 'package-latest' }],
  },
  check(ctx) {
    const file = yamlOf(ctx.parsed);
    if (!file) return [];
    const out: RuleFinding[] = [];
    for (const t of tasksOf(file, ctx.file.kind)) {
      if (!t.module || !PACKAGE_MODULES.has(t.module.name)) continue;
      const args = moduleArgs(file, t.node, t.module);
      const state = findArg(args, 'state');
      if (argValue(state) !== 'latest') continue;
      // A deliberate upgrade of what is already installed (ansible-lint accepts these too).
      if (['update_only', 'only_upgrade'].some((k) => /^(true|yes)$/i.test(argValue(findArg(args, k)) ?? ''))) continue;
      if (findArg(args, 'version')) continue;
      // No package named (`state: latest` with `update_cache: true` alone): the task refreshes the
      // package cache and installs nothing.
      if (!['name', 'pkg', 'package', 'deb', 'requirements'].some((k) => findArg(args, k))) continue;
      const range = state!.valueRange;
      const raw = file.text.slice(file.lines.offsetAt(range.start), file.lines.offsetAt(range.end));
      const fixable = raw === 'latest';
      out.push({
        range,
        message: `${t.module.fullName} with state: latest installs an untested version on every run: use \`state: present\` (pin a version where it matters) and upgrade deliberately.`,
        fixes: fixable ? [{ title: 'Use `state: present`', isPreferred: true, edits: [{ range, newText: 'present' }] }] : undefined,
      });
    }
    return out;
  },
};
