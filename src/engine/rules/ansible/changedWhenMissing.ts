import { getNode, getPair, nodeRange, seqItems, stringValue, YamlFile, YNode } from '../../parsers/yaml';
import { isSeq } from 'yaml';
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
    productionOnly: true,
    practice: 'idempotent-automation',
    kinds: ['ansible-playbook', 'ansible-tasks'],
    equivalents: [{ tool: 'ansible-lint', id: 'no-changed-when' }],
  },
  check(ctx) {
    const file = yamlOf(ctx.parsed);
    if (!file) return [];
    const out: RuleFinding[] = [];
    const tasks = tasksOf(file, ctx.file.kind);
    const registered = new Set(tasks.map((t) => stringValue(getNode(t.node, 'register'))?.trim()).filter((r): r is string => !!r));
    // A handler runs only when notified of a change, so the change it reports is a real one.
    const inHandlersFile = /(^|\/)handlers\//.test(ctx.file.relPath);
    for (const t of tasks) {
      if (inHandlersFile || t.section === 'handlers') continue;
      if (!t.module || !COMMAND_MODULES.has(t.module.name)) continue;
      if (getPair(t.node, 'changed_when')) continue;
      const args = moduleArgs(file, t.node, t.module);
      if (findArg(args, 'creates') || findArg(args, 'removes')) continue;
      // `when: not db_exists.stat.exists`, `when: checkout.changed`: the command runs only when a
      // registered check says it is needed, so it does change something each time it runs.
      if ([t.node, ...t.parents].some((n) => testsRegisteredResult(getNode(n, 'when'), registered))) continue;
      out.push({
        range: nodeRange(file, t.module.pair.key),
        message: `${t.module.fullName} reports "changed" on every run: add \`changed_when:\` (a condition on the registered result, or \`false\` for read-only commands), or \`creates:\`/\`removes:\`.`,
      });
    }
    return out;
  },
};

/** Attributes of a registered result (`stat.exists`, `stdout`, `rc`, `changed`…): a check's outcome even when registered in another file. */
const RESULT_ATTRIBUTE = /\b[A-Za-z_]\w*\.(stat|stdout|stdout_lines|stderr|rc|changed|failed|skipped|results|status|json|content)\b/;

/** True when a `when:` (string or list) tests a variable registered in the file or a registered result's attribute. */
function testsRegisteredResult(when: YNode, registered: Set<string>): boolean {
  const conditions = isSeq(when) ? seqItems(when).map((n) => stringValue(n) ?? '') : [stringValue(when) ?? ''];
  return conditions.some((c) => RESULT_ATTRIBUTE.test(c) || [...(c.match(/[A-Za-z_]\w*/g) ?? [])].some((w) => registered.has(w)));
}
