import { isMap, isSeq, Node, Scalar, YAMLMap } from 'yaml';
import { getNode, getPair, nodeRange, seqItems, stringValue, YamlFile } from '../../parsers/yaml';
import type { Fix, RuleFinding } from '../../types';
import type { Rule } from '../types';
import { changesHost, hasRescue, includedTasks, lastContentLine, playsOf, playTasks, roleTasks, rolesOfPlay, TaskInfo, yamlOf } from './ansibleUtil';

// A play that changes hosts should say what happens when a task fails half-way: a
// `block:`/`rescue:` (or `always:`) section is where Ansible runs the rollback steps. Roles the
// play applies are read from the workspace index, so a rescue inside a role counts.
//
// Not in the recommended profile: Ansible is idempotent configuration management, and most
// plays (installs, provisioning, recovery, purges, upgrades of software that does not
// downgrade) have no rollback to write by design; the fix for a failed run is to re-run it. On
// the public repositories judged for issue 15, 1 of 28 findings (round 1) and 0 of 5 (round 2's
// tune half) were actionable, including repositories that use block/rescue elsewhere. Teams
// that do keep rollback paths turn it on with `profile: all` or by naming it under `rules:`.
export const rule: Rule<YamlFile> = {
  meta: {
    id: 'ansible/rollback-missing',
    description: 'A play changes hosts but has no block/rescue (or always) path to roll back when a task fails.',
    defaultSeverity: 'warning',
    practice: 'rollback-plan',
    kinds: ['ansible-playbook'],
    productionOnly: true,
    profile: 'all',
    fixable: true,
    crossFile: true,
  },
  check(ctx) {
    const file = yamlOf(ctx.parsed);
    if (!file) return [];
    const out: RuleFinding[] = [];
    const dir = ctx.file.path.slice(0, ctx.file.path.lastIndexOf('/'));
    // A module the repository ships (`library/<name>.py`, or a `library/` it builds into).
    const isCustomModule = (name: string) => ['', '.py', '.ps1', '.sh', '.rs', '.go'].some((ext) => ctx.index.exists(`${dir}/library/${name}${ext}`)) || ctx.index.exists(`${dir}/library`);
    for (const play of playsOf(file)) {
      const own = playTasks(play);
      const fromRoles: TaskInfo[] = [];
      for (const role of rolesOfPlay(play, own)) fromRoles.push(...roleTasks(ctx.index, role, ctx.file.path));
      const all = [...own, ...includedTasks(ctx.index, ctx.file.path, own), ...fromRoles];
      const onLocalhost = /^(localhost|127\.0\.0\.1)$/.test(stringValue(getNode(play, 'hosts'))?.trim() ?? '') || stringValue(getNode(play, 'connection')) === 'local';
      const changing = all.find((t) => changesHost(t, { onLocalhost, isCustomModule }));
      if (!changing || hasRescue(all)) continue;
      const anchor = getPair(play, 'name') ?? getPair(play, 'hosts')!;
      const name = stringValue(getNode(play, 'name')) ?? stringValue(getNode(play, 'hosts')) ?? 'this play';
      const what = changing.module ? changing.module.fullName : 'a task';
      const fix = wrapTasksFix(file, play);
      out.push({
        range: nodeRange(file, anchor.key),
        message: `Play '${name}' changes hosts (${what}) but has no rollback path: wrap its tasks in \`block:\` with a \`rescue:\` that rolls back (or an \`always:\` that restores service).`,
        fixes: fix ? [fix] : undefined,
      });
    }
    return out;
  },
};

/** Wraps the play's `tasks:` list in a named block with a rescue placeholder, re-indenting it. */
export function wrapTasksFix(file: YamlFile, play: YAMLMap<Scalar, Node>): Fix | undefined {
  const tasks = getNode(play, 'tasks');
  if (!isSeq(tasks) || (tasks as { flow?: boolean }).flow || seqItems(tasks).length === 0) return undefined;
  const items = seqItems(tasks);
  if (!items.every((i) => isMap(i))) return undefined;
  const first = nodeRange(file, items[0]).start;
  const firstLine = first.line;
  const dashLine = file.lines.line(firstLine);
  const col = dashLine.length - dashLine.trimStart().length;
  // Only the usual block layout: each task item starts with `- ` on its own line.
  if (!dashLine.trimStart().startsWith('-')) return undefined;
  const lastLine = lastContentLine(file, tasks);
  const eol = file.lines.eol;
  const pad = ' '.repeat(col);
  const lines: string[] = [];
  for (let l = firstLine; l <= lastLine; l++) {
    const t = file.lines.line(l);
    lines.push(t.trim() === '' ? t : '    ' + t);
  }
  const name = stringValue(getNode(play, 'name'));
  const blockName = name ? `${name} (rolls back on failure)` : 'Apply changes (rolls back on failure)';
  const text = [
    `${pad}- name: ${yamlString(blockName)}`,
    `${pad}  block:`,
    ...lines,
    `${pad}  rescue:`,
    `${pad}    - name: Roll back (put the rollback steps here)`,
    `${pad}      ansible.builtin.fail:`,
    `${pad}        msg: "Deploy failed on {{ inventory_hostname }}. TODO: add rollback steps to this rescue section before this task."`,
  ].join(eol);
  const end = { line: lastLine, character: file.lines.line(lastLine).length };
  return {
    title: 'Wrap the tasks in block/rescue with a rollback placeholder',
    edits: [{ range: { start: { line: firstLine, character: 0 }, end }, newText: text }],
  };
}

function yamlString(s: string): string {
  return /^[\w][\w .()/-]*$/.test(s) && !/:\s|\s#/.test(s) ? s : JSON.stringify(s);
}
