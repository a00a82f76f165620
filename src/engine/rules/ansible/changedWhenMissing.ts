import { getPair, nodeRange, YamlFile } from '../../parsers/yaml';
import type { RuleFinding } from '../../types';
import type { Rule } from '../types';
import { COMMAND_MODULES, findArg, moduleArgs, tasksOf, yamlOf } from './ansibleUtil';

// Ansible cannot know whether a command changed anything, so it reports `changed` on every run:
// the run output stops telling operators what a deploy really did, and handlers fire each time.
export const rule: Rule<YamlFile> = {
  meta: {
    id: 'ansible/changed-when-missing',
    description: 'A command/shell/raw task has no `changed_when`, `creates` or `removes`, so it reports a change on every run.',
    defaultSeverity: 'info',
    practice: 'idempotent-automation',
    kinds: ['ansible-playbook', 'ansible-tasks'],
    equivalents: [{ tool: 'ansible-lint', id: 'no-changed-when' }],
  },
  check(ctx) {
    const file = yamlOf(ctx.parsed);
    if (!file) return [];
    const out: RuleFinding[] = [];
    for (const t of tasksOf(file, ctx.file.kind)) {
      if (!t.module || !COMMAND_MODULES.has(t.module.name)) continue;
      if (getPair(t.node, 'changed_when')) continue;
      const args = moduleArgs(file, t.node, t.module);
      if (findArg(args, 'creates') || findArg(args, 'removes')) continue;
      out.push({
        range: nodeRange(file, t.module.pair.key),
        message: `${t.module.fullName} reports "changed" on every run: add \`changed_when:\` (a condition on the registered result, or \`false\` for read-only commands), or \`creates:\`/\`removes:\`.`,
      });
    }
    return out;
  },
};
