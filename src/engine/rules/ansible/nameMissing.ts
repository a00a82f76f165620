import { getNode, getPair, nodeRange, pairs, stringValue, YamlFile } from '../../parsers/yaml';
import type { RuleFinding } from '../../types';
import type { Rule } from '../types';
import { playItemsOf, tasksOf, yamlOf } from './ansibleUtil';

// Names are what the operator reads in the run output and in `--start-at-task` during an
// incident. Like ansible-lint's `name[missing]`/`name[play]` (6.x), every task, block, dynamic
// include and play is expected to carry a name. Static imports (`import_playbook`,
// `import_tasks`, `import_role`) are resolved before the run and never appear in its output:
// their name would be shown nowhere, so they are left alone.
const STATIC_IMPORTS = new Set(['import_playbook', 'import_tasks', 'import_role']);
export const rule: Rule<YamlFile> = {
  meta: {
    id: 'ansible/name-missing',
    description: 'A task, block or play has no `name`, so run output and `--start-at-task` cannot identify it.',
    defaultSeverity: 'info',
    practice: 'readable-automation',
    kinds: ['ansible-playbook', 'ansible-tasks'],
    equivalents: [
      { tool: 'ansible-lint', id: 'name[missing]' },
      { tool: 'ansible-lint', id: 'name[play]' },
    ],
  },
  check(ctx) {
    const file = yamlOf(ctx.parsed);
    if (!file) return [];
    const out: RuleFinding[] = [];
    const named = (n: Parameters<typeof getNode>[0]) => (stringValue(getNode(n, 'name')) ?? '').trim() !== '';
    if (ctx.file.kind === 'ansible-playbook') {
      for (const play of playItemsOf(file)) {
        if (named(play) || getPair(play, 'import_playbook') || getPair(play, 'ansible.builtin.import_playbook')) continue;
        const anchor = getPair(play, 'hosts') ?? pairs(play)[0];
        if (!anchor) continue;
        const hosts = stringValue(getNode(play, 'hosts'));
        out.push({
          range: nodeRange(file, anchor.key),
          message: hosts ? `Play on '${hosts}' has no name: add \`name:\` saying what it does.` : 'Playbook item has no name: add `name:` saying what it does.',
        });
      }
    }
    for (const t of tasksOf(file, ctx.file.kind)) {
      if (named(t.node) || (t.module && STATIC_IMPORTS.has(t.module.name))) continue;
      const anchor = t.isBlock ? getPair(t.node, 'block') : t.module?.pair ?? pairs(t.node)[0];
      if (!anchor) continue;
      const what = t.isBlock ? 'Block' : t.module ? `Task (${t.module.fullName})` : 'Task';
      out.push({ range: nodeRange(file, anchor.key), message: `${what} has no name: add \`name:\` saying what it does, for readable run output and \`--start-at-task\`.` });
    }
    return out;
  },
};
