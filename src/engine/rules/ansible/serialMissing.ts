import { getNode, getPair, nodeRange, pairRange, stringValue, YamlFile } from '../../parsers/yaml';
import type { RuleFinding } from '../../types';
import type { Rule } from '../types';
import { indentOf } from '../../text';
import { playsOf, playTasks, restartsOrDeploys, roleTasks, rolesOfPlay, TaskInfo, yamlOf } from './ansibleUtil';

// Without `serial`, Ansible runs each task on every host of the group at once (up to `forks`):
// a bad release or a restart takes the whole group down together. `serial` turns the play into
// a rolling rollout whose first batch acts as a canary; `max_fail_percentage` stops it early.
const LOCAL_HOSTS = /^(localhost|127\.0\.0\.1|::1)$/;

export const rule: Rule<YamlFile> = {
  meta: {
    id: 'ansible/serial-missing',
    description: 'A play restarts services or deploys to a host group all at once, without `serial` or `max_fail_percentage`.',
    defaultSeverity: 'info',
    practice: 'progressive-rollout',
    kinds: ['ansible-playbook'],
    productionOnly: true,
    fixable: true,
    crossFile: true,
  },
  check(ctx) {
    const file = yamlOf(ctx.parsed);
    if (!file) return [];
    const out: RuleFinding[] = [];
    for (const play of playsOf(file)) {
      if (getPair(play, 'serial') || getPair(play, 'max_fail_percentage')) continue;
      const hostsPair = getPair(play, 'hosts')!;
      const hosts = stringValue(hostsPair.value)?.trim() ?? '';
      if (!hosts || LOCAL_HOSTS.test(hosts) || stringValue(getNode(play, 'connection')) === 'local') continue;
      const own = playTasks(play);
      const all: TaskInfo[] = [...own];
      for (const role of rolesOfPlay(play, own)) all.push(...roleTasks(ctx.index, role));
      // A restart says most about the risk; otherwise the first deploy step.
      const reasons = all.map((t) => restartsOrDeploys(t, file)).filter((r): r is string => !!r);
      const why = reasons.find((r) => !r.startsWith('a deploy')) ?? reasons[0];
      if (!why) continue;
      const line = nodeRange(file, hostsPair.key).start.line;
      const indent = indentOf(file.lines, line).length === nodeRange(file, hostsPair.key).start.character ? indentOf(file.lines, line) : ' '.repeat(nodeRange(file, hostsPair.key).start.character);
      const valueEnd = pairRange(file, hostsPair).end;
      const fixable = valueEnd.line === line;
      out.push({
        range: pairRange(file, hostsPair),
        message: `This play runs ${why} on every host of '${hosts}' at once: add \`serial:\` (e.g. \`serial: 1\` or \`"25%"\`) for a rolling rollout whose first batch is a canary, or \`max_fail_percentage:\` to stop early.`,
        fixes: fixable
          ? [
              {
                title: 'Add `serial: 1` (one host at a time)',
                edits: [{ range: { start: { line, character: file.lines.line(line).length }, end: { line, character: file.lines.line(line).length } }, newText: `${file.lines.eol}${indent}serial: 1` }],
              },
            ]
          : undefined,
      });
    }
    return out;
  },
};
