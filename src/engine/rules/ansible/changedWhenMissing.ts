import { getNode, getPair, nodeRange, seqItems, stringValue, YamlFile, YNode } from '../../parsers/yaml';
import { isSeq } from 'yaml';
import type { RuleFinding } from '../../types';
import type { Rule } from '../types';
import { isMap } from 'yaml';
import { COMMAND_MODULES, commandLine, findArg, isReadOnlyCommand, moduleArgs, TaskInfo, tasksOf, yamlOf } from './ansibleUtil';

// Ansible cannot know whether a command changed anything, so it reports `changed` on every run:
// the run output stops telling operators what a deploy really did, and handlers fire each time.
// Where "changed" is the truth on every run, a `changed_when` would hide a real change, so the
// rule says nothing:
// - a command that produces a new artifact each time it runs (`packer build`, `docker commit`,
//   `docker build`/`push`, `buildah commit`);
// - an image-build playbook, whose tasks run in a throw-away build container it creates, adds
//   to the inventory (`add_host` with `ansible_connection: docker`/`podman`/`buildah`) and commits
//   as an image: each run starts from a fresh container;
// - a command that changes the host before the same task list reboots it unconditionally
//   (applying a machine configuration, then `reboot`): the run changes the host every time by
//   design. A read-only command there (`oc get`, `cat`) is still reported.
const ARTIFACT_BUILD = /\b(packer\s+build|(docker|podman|nerdctl)\s+(image\s+)?(commit|build|push)|buildah\s+(bud|build|commit|push))\b/;
const BUILD_CONNECTIONS = /^(docker|podman|buildah|community\.docker\.docker|containers\.podman\.(podman|buildah))$/;
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
    if (buildsInContainer(tasks)) return [];
    const reboots = tasks.filter((t) => t.module?.name === 'reboot' && ![t.node, ...t.parents].some((n) => getPair(n, 'when'))).map((t) => t.node.range?.[0] ?? Infinity);
    for (const t of tasks) {
      if (inHandlersFile || t.section === 'handlers') continue;
      if (!t.module || !COMMAND_MODULES.has(t.module.name)) continue;
      if (getPair(t.node, 'changed_when')) continue;
      const args = moduleArgs(file, t.node, t.module);
      if (findArg(args, 'creates') || findArg(args, 'removes')) continue;
      // `when: not db_exists.stat.exists`, `when: checkout.changed`: the command runs only when a
      // registered check says it is needed, so it does change something each time it runs.
      if ([t.node, ...t.parents].some((n) => testsRegisteredResult(getNode(n, 'when'), registered))) continue;
      const line = commandLine(t.node, t.module);
      if (ARTIFACT_BUILD.test(line)) continue;
      if (!isReadOnlyCommand(line) && reboots.some((at) => at > (t.node.range?.[0] ?? Infinity))) continue;
      out.push({
        range: nodeRange(file, t.module.pair.key),
        message: `${t.module.fullName} reports "changed" on every run: add \`changed_when:\` (a condition on the registered result, or \`false\` for read-only commands), or \`creates:\`/\`removes:\`.`,
      });
    }
    return out;
  },
};

/**
 * The task list adds a container to the inventory (`add_host` with a container connection) and
 * makes an image of it (`docker commit`, an image module): an image build.
 */
function buildsInContainer(tasks: TaskInfo[]): boolean {
  const makesImage = tasks.some((t) => !!t.module && (/^(docker_image|podman_image|buildah)$/.test(t.module.name) || (COMMAND_MODULES.has(t.module.name) && ARTIFACT_BUILD.test(commandLine(t.node, t.module)))));
  return makesImage && tasks.some((t) => {
    if (t.module?.name !== 'add_host') return false;
    const args = t.module.pair.value;
    const conn = isMap(args) ? stringValue(getNode(args, 'ansible_connection'))?.trim() : /\bansible_connection=(\S+)/.exec(stringValue(args as YNode) ?? '')?.[1];
    return !!conn && BUILD_CONNECTIONS.test(conn);
  });
}

/** Attributes of a registered result (`stat.exists`, `stdout`, `rc`, `changed`…): a check's outcome even when registered in another file. */
const RESULT_ATTRIBUTE = /\b[A-Za-z_]\w*\.(stat|stdout|stdout_lines|stderr|rc|changed|failed|skipped|results|status|json|content)\b/;

/** True when a `when:` (string or list) tests a variable registered in the file or a registered result's attribute. */
function testsRegisteredResult(when: YNode, registered: Set<string>): boolean {
  const conditions = isSeq(when) ? seqItems(when).map((n) => stringValue(n) ?? '') : [stringValue(when) ?? ''];
  return conditions.some((c) => RESULT_ATTRIBUTE.test(c) || [...(c.match(/[A-Za-z_]\w*/g) ?? [])].some((w) => registered.has(w)));
}
