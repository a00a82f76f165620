import { isMap, isScalar, Node, Scalar, YAMLMap } from 'yaml';
import { getNode, getPair, nodeRange, pairs, seqItems, stringValue, YamlFile } from '../../parsers/yaml';
import type { RuleFinding } from '../../types';
import type { Rule, RuleContext } from '../types';
import { argValue, findArg, moduleArgs, moduleOf as moduleOfTask, PLAY_TASK_SECTIONS, playItemsOf, TaskInfo, tasksOf, yamlOf } from './ansibleUtil';

// Names are what the operator reads in the run output and in `--start-at-task` during an
// incident. Like ansible-lint's `name[missing]`/`name[play]` (6.x), every task, block, dynamic
// include and play is expected to carry a name. Static imports (`import_playbook`,
// `import_tasks`, `import_role`) are resolved before the run and never appear in its output:
// their name would be shown nowhere, so they are left alone. Nor is a name asked of what the
// output already identifies:
// - a block whose tasks are all named: Ansible never prints a block's name, its tasks' names are
//   what the output and `--start-at-task` show;
// - a `meta:` task (`flush_handlers`, `end_play`): an engine action, not a step of the play;
// - an `include_tasks` (or `include`) of a file: the output prints `included: <path>`;
// - a `debug`, `fail` or `assert` whose literal message says what it is about ("OwnCloud is not
//   supported on this release"): the output prints the message (a bare `{{ var }}` or a two-word
//   label is no such message);
// - the only play of a playbook that applies roles and has no tasks of its own: every task of the
//   output is labelled with its role.
// Unnamed plays are one decision of the repository's style: when no play anywhere is named
// (book examples, a project that never names plays), the convention pass reports it once.
const STATIC_IMPORTS = new Set(['import_playbook', 'import_tasks', 'import_role']);
const PATH_INCLUDES = new Set(['include_tasks', 'include']);
const MESSAGE_MODULES = new Set(['debug', 'fail', 'assert']);

/** Plays of a playbook the rule judges (not `import_playbook` items). */
function playSubjects(file: YamlFile): YAMLMap<Scalar, Node>[] {
  return playItemsOf(file).filter((p) => !getPair(p, 'import_playbook') && !getPair(p, 'ansible.builtin.import_playbook') && pairs(p).length > 0);
}

/** A block whose every task (in block, rescue and always) carries a name or identifies itself. */
function blockOfNamedTasks(file: YamlFile, t: TaskInfo, named: (n: Node) => boolean): boolean {
  const items = ['block', 'rescue', 'always'].flatMap((s) => seqItems(getNode(t.node, s)));
  return items.length > 0 && items.every((n) => isMap(n) && (named(n) || (!!getPair(n, 'block') && blockOfNamedTasks(file, { node: n as YAMLMap<Scalar, Node>, isBlock: true, section: 'block', parents: [] }, named))));
}

/** A task the run output identifies without a name (see above). */
function selfDescribing(file: YamlFile, t: TaskInfo): boolean {
  if (!t.module) return false;
  if (t.module.name === 'meta' || STATIC_IMPORTS.has(t.module.name)) return true;
  if (PATH_INCLUDES.has(t.module.name)) return true;
  if (MESSAGE_MODULES.has(t.module.name)) {
    const args = moduleArgs(file, t.node, t.module);
    const msg = findArg(args, 'msg') ?? findArg(args, 'fail_msg');
    const text = argValue(msg) ?? (msg?.node && !isScalar(msg.node) ? '' : undefined);
    if (!text) return false;
    const words = text.replace(/\{\{.*?\}\}/gs, ' ').match(/[A-Za-z][A-Za-z'-]+/g) ?? [];
    return words.length >= 3;
  }
  return false;
}

/** The only play of its playbook, applying roles with no tasks of its own. */
function soleRolesPlay(plays: YAMLMap<Scalar, Node>[], play: YAMLMap<Scalar, Node>): boolean {
  return plays.length === 1 && seqItems(getNode(play, 'roles')).length > 0 && PLAY_TASK_SECTIONS.every((s) => seqItems(getNode(play, s)).length === 0);
}
export const rule: Rule<YamlFile> = {
  meta: {
    id: 'ansible/name-missing',
    description: 'A task, block or play has no `name`, so run output and `--start-at-task` cannot identify it.',
    defaultSeverity: 'info',
    profile: 'all',
    practice: 'readable-automation',
    kinds: ['ansible-playbook', 'ansible-tasks'],
    productionOnly: true,
    convention: {
      subjects: (ctx: RuleContext<YamlFile>) => {
        const file = yamlOf(ctx.parsed);
        return file && ctx.file.kind === 'ansible-playbook' ? playSubjects(file).length : 0;
      },
      noun: 'plays',
      follows: () => 'has a `name:`',
      adopt: () => 'Name the plays (`- name: Deploy the API` above `hosts:`) so the run output says what each one does, or set `ansible/name-missing: off` under `rules:` in .opsreview.yml if the repository keeps plays unnamed.',
    },
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
      const plays = playSubjects(file);
      for (const play of plays) {
        if (named(play) || soleRolesPlay(plays, play)) continue;
        const anchor = getPair(play, 'hosts') ?? pairs(play)[0];
        if (!anchor) continue;
        const hosts = stringValue(getNode(play, 'hosts'));
        out.push({
          range: nodeRange(file, anchor.key),
          message: hosts ? `Play on '${hosts}' has no name: add \`name:\` saying what it does.` : 'Playbook item has no name: add `name:` saying what it does.',
          convention: ['play-name'],
        });
      }
    }
    for (const t of tasksOf(file, ctx.file.kind)) {
      if (named(t.node) || (t.module && STATIC_IMPORTS.has(t.module.name))) continue;
      if (t.isBlock ? blockOfNamedTasks(file, t, (n) => named(n) || (isMap(n) && selfDescribing(file, { node: n as YAMLMap<Scalar, Node>, isBlock: false, module: moduleOfTask(n), section: 'block', parents: [] }))) : selfDescribing(file, t)) continue;
      const anchor = t.isBlock ? getPair(t.node, 'block') : t.module?.pair ?? pairs(t.node)[0];
      if (!anchor) continue;
      const what = t.isBlock ? 'Block' : t.module ? `Task (${t.module.fullName})` : 'Task';
      out.push({ range: nodeRange(file, anchor.key), message: `${what} has no name: add \`name:\` saying what it does, for readable run output and \`--start-at-task\`.` });
    }
    return out;
  },
};
