import { isMap, isScalar, isSeq, Node, Pair, Scalar, YAMLMap } from 'yaml';
import type { IndexedFile, IndexView } from '../../model';
import { getNode, getPair, isTrue, keyName, pairs, scalarValue, seqItems, stringValue, yamlOf, YamlFile, YNode } from '../../parsers/yaml';
import * as path from 'node:path';
import type { FileKind, Position, Range, Reference } from '../../types';
import { isPathValue, isSecretName } from '../secretNames';
import { resolveRole, roleOfPath, RolePath } from '../../ansibleRoles';

export { yamlOf, lastContentLine } from '../../parsers/yaml';

// Shared walking of Ansible YAML for the ansible rule pack: plays, task lists (through
// block/rescue/always), the module a task calls (short or fully qualified name) and its arguments
// (map form, `args:` and `key=value` free form).


/** Task keywords (playbook keywords valid on a task or block); any other key is the module. */
export const TASK_KEYWORDS = new Set([
  'name', 'action', 'local_action', 'args', 'async', 'poll', 'become', 'become_exe', 'become_flags', 'become_method',
  'become_user', 'changed_when', 'failed_when', 'check_mode', 'collections', 'connection', 'debugger', 'delay',
  'delegate_facts', 'delegate_to', 'diff', 'environment', 'ignore_errors', 'ignore_unreachable', 'loop',
  'loop_control', 'module_defaults', 'no_log', 'notify', 'port', 'register', 'remote_user', 'retries', 'run_once',
  'tags', 'throttle', 'timeout', 'until', 'vars', 'when', 'listen', 'any_errors_fatal', 'block', 'rescue', 'always',
]);

const INCLUDE_MODULES = new Set(['include', 'include_tasks', 'import_tasks', 'include_role', 'import_role', 'import_playbook', 'include_vars']);

export interface ModuleCall {
  /** The pair `module: args` (or `action:`), for positions. */
  pair: Pair<Scalar, Node>;
  /** The name as written (`ansible.builtin.apt`, `apt`). */
  fullName: string;
  /** Short name: the last segment of a fully qualified name (`apt`, `pacman`). */
  name: string;
}

export interface TaskInfo {
  node: YAMLMap<Scalar, Node>;
  /** True for `block:` items (which have no module). */
  isBlock: boolean;
  module?: ModuleCall;
  /** The section the task sits in: tasks, pre_tasks, post_tasks, handlers, block, rescue, always. */
  section: string;
  /** The play the task belongs to (playbooks only). */
  play?: YAMLMap<Scalar, Node>;
  /** Enclosing blocks, outermost first (their keywords such as `no_log` are inherited). */
  parents: YAMLMap<Scalar, Node>[];
}

export function shortModuleName(full: string): string {
  if (full.startsWith('{{')) return full;
  const parts = full.split('.');
  return parts.length >= 3 ? parts[parts.length - 1] : full;
}

export function isIncludeModule(m: ModuleCall | undefined): boolean {
  return !!m && INCLUDE_MODULES.has(m.name);
}

/** The module a task calls, if any. */
export function moduleOf(task: YNode): ModuleCall | undefined {
  if (!isMap(task)) return undefined;
  for (const p of pairs(task)) {
    const k = keyName(p);
    if (!k || TASK_KEYWORDS.has(k) || k.startsWith('with_')) continue;
    return { pair: p, fullName: k, name: shortModuleName(k) };
  }
  // `action: apt name=x` / `local_action: {module: apt, ...}`
  const action = getPair(task, 'action') ?? getPair(task, 'local_action');
  if (action) {
    const v = action.value;
    const text = isMap(v) ? stringValue(getNode(v, 'module')) : stringValue(v)?.trim();
    // `action: "{{ packager }} pkg=git"`: the module is the whole template, not `{{`.
    const full = text?.startsWith('{{') ? /^\{\{.*?\}\}/.exec(text)?.[0] ?? text.split(/\s+/)[0] : text?.split(/\s+/)[0];
    if (full) return { pair: action, fullName: full, name: shortModuleName(full) };
  }
  return undefined;
}

/** An argument of the module call: a node (map forms) or a `key=value` slice of the free-form string. */
export interface ArgRef {
  key: string;
  /** The value node (map forms). */
  node?: Node;
  /** The key pair (map forms). */
  pair?: Pair<Scalar, Node>;
  /** The value text (free form). */
  text?: string;
  /** Exact range of the value (both forms). */
  valueRange: Range;
  /** Exact range of the key (both forms). */
  keyRange: Range;
}

/** Every argument of the module call: the module's map or free-form `k=v`, and the task's `args:` map. */
export function moduleArgs(file: YamlFile, task: YAMLMap<Scalar, Node>, mod: ModuleCall | undefined): ArgRef[] {
  const out: ArgRef[] = [];
  const fromMap = (map: YNode, skip?: string) => {
    for (const p of pairs(map)) {
      const k = keyName(p);
      if (!k || k === skip) continue;
      out.push({ key: k, node: p.value ?? undefined, pair: p, valueRange: rangeOfNode(file, p.value ?? p.key), keyRange: rangeOfNode(file, p.key) });
    }
  };
  if (mod) {
    const v = mod.pair.value;
    if (isMap(v)) fromMap(v, keyName(mod.pair) === 'action' || keyName(mod.pair) === 'local_action' ? 'module' : undefined);
    else if (isScalar(v) && typeof v.value === 'string') out.push(...freeFormArgs(file, v));
  }
  fromMap(getNode(task, 'args'));
  return out;
}

function rangeOfNode(file: YamlFile, node: YNode): Range {
  const r = (node as Node | undefined)?.range;
  return r ? file.lines.rangeOf(r[0], r[1]) : file.lines.rangeOf(0, 0);
}

/** `key=value` tokens of a free-form module string, each positioned where it is written (also in folded `>` values). */
function freeFormArgs(file: YamlFile, node: Scalar): ArgRef[] {
  const value = String(node.value);
  if (!node.range) return [];
  const out: ArgRef[] = [];
  const re = /(^|\s)([A-Za-z_][\w]*)=("[^"]*"|'[^']*'|\S*)/g;
  let cursor = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(value))) {
    const text = m[3].replace(/^(["'])(.*)\1$/, '$2');
    // Folding and quoting change the text between tokens, rarely a token itself: find each one in the source.
    const at = offsetInScalar(file, node, `${m[2]}=${m[3]}`, cursor);
    if (at !== undefined) cursor = at - node.range[0] + m[2].length + 1 + m[3].length;
    const keyRange = at !== undefined ? file.lines.rangeOf(at, at + m[2].length) : rangeOfNode(file, node);
    const valueRange = at !== undefined ? file.lines.rangeOf(at + m[2].length + 1, at + m[2].length + 1 + m[3].length) : rangeOfNode(file, node);
    out.push({ key: m[2], text, keyRange, valueRange });
  }
  return out;
}

/** Offset in the file of `needle` inside a scalar's source text (searching from `from` within it), if written verbatim. */
export function offsetInScalar(file: YamlFile, node: Node, needle: string, from = 0): number | undefined {
  const r = node.range;
  if (!r || !needle) return undefined;
  const at = file.text.slice(r[0], r[1]).indexOf(needle, from);
  return at >= 0 ? r[0] + at : undefined;
}

export function argValue(a: ArgRef | undefined): string | undefined {
  if (!a) return undefined;
  return a.text ?? stringValue(a.node);
}

export function findArg(args: ArgRef[], key: string): ArgRef | undefined {
  return args.find((a) => a.key === key);
}

/** The free-form command line of a command/shell/raw task (`cmd:` or the string form). */
export function commandLine(task: YAMLMap<Scalar, Node>, mod: ModuleCall): string {
  const v = mod.pair.value;
  // `action: shell echo hi` / `local_action: command uptime`: the module name comes first.
  const viaAction = keyName(mod.pair) === 'action' || keyName(mod.pair) === 'local_action';
  if (isScalar(v)) return viaAction ? String(v.value ?? '').trim().slice(mod.fullName.length).trim() : String(v.value ?? '');
  const cmd = getNode(v, 'cmd') ?? getNode(v, '_raw_params');
  if (cmd) return stringValue(cmd) ?? '';
  const argv = getNode(v, 'argv');
  return seqItems(argv).map((n) => stringValue(n) ?? '').join(' ');
}

/** Plays of a playbook (items with `hosts:`), across all documents. */
export function playsOf(file: YamlFile): YAMLMap<Scalar, Node>[] {
  const out: YAMLMap<Scalar, Node>[] = [];
  for (const doc of file.docs) {
    for (const item of seqItems(doc.contents as YNode)) {
      if (isMap(item) && getPair(item, 'hosts')) out.push(item as YAMLMap<Scalar, Node>);
    }
  }
  return out;
}

/** Items of a playbook that are plays or playbook imports (for name checks). */
export function playItemsOf(file: YamlFile): YAMLMap<Scalar, Node>[] {
  const out: YAMLMap<Scalar, Node>[] = [];
  for (const doc of file.docs) {
    for (const item of seqItems(doc.contents as YNode)) if (isMap(item)) out.push(item as YAMLMap<Scalar, Node>);
  }
  return out;
}

export const PLAY_TASK_SECTIONS = ['pre_tasks', 'tasks', 'post_tasks', 'handlers'] as const;

/** Walks a task list, descending into block/rescue/always. */
export function walkTaskList(list: YNode, section: string, play: YAMLMap<Scalar, Node> | undefined, out: TaskInfo[], parents: YAMLMap<Scalar, Node>[] = []): void {
  for (const item of seqItems(list)) {
    if (!isMap(item)) continue;
    const node = item as YAMLMap<Scalar, Node>;
    const isBlock = !!getPair(node, 'block');
    out.push({ node, isBlock, module: isBlock ? undefined : moduleOf(node), section, play, parents });
    if (isBlock) {
      for (const s of ['block', 'rescue', 'always']) walkTaskList(getNode(node, s), s, play, out, [...parents, node]);
    }
  }
}

/** Tasks of one play (all sections). */
export function playTasks(play: YAMLMap<Scalar, Node>): TaskInfo[] {
  const out: TaskInfo[] = [];
  for (const s of PLAY_TASK_SECTIONS) walkTaskList(getNode(play, s), s, play, out);
  return out;
}

/** Every task of a playbook or task file (blocks included, as items with `isBlock`). */
export function tasksOf(file: YamlFile, kind: FileKind): TaskInfo[] {
  const out: TaskInfo[] = [];
  if (kind === 'ansible-playbook') {
    for (const play of playsOf(file)) out.push(...playTasks(play));
  } else if (kind === 'ansible-tasks') {
    for (const doc of file.docs) walkTaskList(doc.contents as YNode, 'tasks', undefined, out);
  }
  return out;
}

/** True when a task list holds a block with `rescue:` or `always:`. */
export function hasRescue(tasks: TaskInfo[]): boolean {
  return tasks.some((t) => t.isBlock && (seqItems(getNode(t.node, 'rescue')).length > 0 || seqItems(getNode(t.node, 'always')).length > 0));
}

/** Names of the roles a play applies (`roles:` and include_role/import_role tasks). */
export function rolesOfPlay(play: YAMLMap<Scalar, Node>, tasks: TaskInfo[]): string[] {
  const names: string[] = [];
  for (const r of seqItems(getNode(play, 'roles'))) {
    const n = isMap(r) ? stringValue(getNode(r, 'role')) ?? stringValue(getNode(r, 'name')) : stringValue(r);
    if (n) names.push(n);
  }
  for (const t of tasks) {
    if (t.module && (t.module.name === 'include_role' || t.module.name === 'import_role')) {
      const n = stringValue(getNode(t.module.pair.value, 'name'));
      if (n) names.push(n);
    }
  }
  return names.filter((n) => !n.includes('{{'));
}

/**
 * The role's task and handler files found in the workspace index: the role a play names by its
 * path under a roles path (`web/nginx`), its collection name, or its last segment when only one
 * role has it (see resolveRole). `fromPath` (the playbook) picks the nearest of several roles paths.
 */
export function roleFiles(index: IndexView, role: string, fromPath?: string): IndexedFile[] {
  const fromRel = fromPath && fromPath.startsWith(index.root + '/') ? fromPath.slice(index.root.length + 1) : undefined;
  // Every play of every playbook asks this for each of its roles (twice: its subjects and its
  // findings): the role folders of the index are worked out once per index generation, and each
  // answer once per role and linking folder.
  const roles = roleFoldersOf(index);
  const key = `${role}\0${fromRel ?? ''}`;
  const hit = roles.answers.get(key);
  if (hit) return [...hit];
  const dir = resolveRole(role, roles.dirs, fromRel);
  let files: IndexedFile[] = [];
  if (dir) {
    const rank = (f: IndexedFile) => (roles.partOf.get(f) === 'handlers' ? 1 : 0);
    files = roles.tasks.filter((f) => f.relPath.startsWith(dir + '/') && (rank(f) === 1 || roles.partOf.get(f) === 'tasks')).sort((a, b) => rank(a) - rank(b) || a.relPath.localeCompare(b.relPath));
  }
  roles.answers.set(key, files);
  return [...files];
}

interface RoleFolders {
  generation: number | undefined;
  tasks: readonly IndexedFile[];
  /** The role part (`tasks`, `handlers`…) of each task file inside a role. */
  partOf: Map<IndexedFile, string>;
  dirs: RolePath[];
  answers: Map<string, IndexedFile[]>;
}

const roleFoldersCache = new WeakMap<IndexView, RoleFolders>();

function roleFoldersOf(index: IndexView): RoleFolders {
  const cached = roleFoldersCache.get(index);
  if (cached && cached.generation !== undefined && cached.generation === index.generation) return cached;
  const tasks = index.byKind('ansible-tasks');
  const dirs: RolePath[] = [];
  const partOf = new Map<IndexedFile, string>();
  for (const f of tasks) {
    const r = roleOfPath(f.relPath);
    if (r) partOf.set(f, r.part);
    if (r && (r.part === 'tasks' || r.part === 'handlers')) dirs.push(r);
  }
  const folders: RoleFolders = { generation: index.generation, tasks, partOf, dirs, answers: new Map() };
  if (index.generation !== undefined) roleFoldersCache.set(index, folders);
  return folders;
}

/** Tasks of the role's files (task and handler files). */
export function roleTasks(index: IndexView, role: string, fromPath?: string): TaskInfo[] {
  const out: TaskInfo[] = [];
  for (const f of roleFiles(index, role, fromPath)) {
    const y = yamlOf(f.parsed);
    if (!y) continue;
    const section = roleOfPath(f.relPath)?.part === 'handlers' ? 'handlers' : 'tasks';
    for (const doc of y.docs) walkTaskList(doc.contents as YNode, section, undefined, out);
  }
  return out;
}

// ---- what modules do -----------------------------------------------------------------------

/** Modules that only read, report or control flow: they do not change a host. */
const READ_ONLY_MODULES = new Set([
  'debug', 'assert', 'fail', 'set_fact', 'set_stats', 'ping', 'win_ping', 'setup', 'gather_facts', 'wait_for',
  'wait_for_connection', 'stat', 'win_stat', 'include_vars', 'meta', 'pause', 'find', 'slurp', 'fetch', 'win_find',
  'win_wait_for', 'win_whoami',
  'package_facts', 'service_facts', 'getent', 'add_host', 'group_by', 'async_status', 'validate_argument_spec',
  'include', 'include_tasks', 'import_tasks', 'include_role', 'import_role', 'import_playbook',
]);

/** What the play runs on, for judging modules that only act on the control node. */
export interface ChangeContext {
  /** The play targets the control node (`hosts: localhost`, `connection: local`). */
  onLocalhost: boolean;
  /** True for a module written in the repository (a `library/` module next to the playbook). */
  isCustomModule(name: string): boolean;
}

/** True when a task changes the host (package, service, file, command…). */
export function changesHost(t: TaskInfo, ctx?: ChangeContext): boolean {
  if (t.isBlock || !t.module) return false;
  const name = t.module.name;
  if (READ_ONLY_MODULES.has(name) || /_(info|facts)$/.test(name)) return false;
  // CloudFormation rolls a failed stack update back by itself (the module's default).
  if (name === 'cloudformation' && !/^(DO_NOTHING|DELETE)$/.test(stringValue(getNode(t.module.pair.value, 'on_create_failure')) ?? '')) return false;
  // A command declared as never changing anything (`changed_when: false`), or run in check mode.
  const cw = getNode(t.node, 'changed_when');
  if (cw && (scalarValue(cw) === false || /^(false|no)$/i.test(stringValue(cw) ?? ''))) return false;
  if (isTrue(getNode(t.node, 'check_mode'))) return false;
  if (COMMAND_MODULES.has(name) && isReadOnlyCommand(commandLine(t.node, t.module))) return false;
  if (name === 'uri' || name === 'win_uri') {
    // A request changes something only with a writing method (GET is the default).
    const v = t.module.pair.value;
    const method = (isMap(v) ? stringValue(getNode(v, 'method')) : /\bmethod=(\S+)/.exec(stringValue(v) ?? '')?.[1]) ?? 'GET';
    return /^(POST|PUT|PATCH|DELETE)$/i.test(method.replace(/["']/g, ''));
  }
  // A module written for this repository, run on the control node: what it does is not known.
  if (ctx?.onLocalhost && !/[.{]/.test(t.module.fullName) && !BUILTIN_MODULES.has(name) && ctx.isCustomModule(name)) return false;
  return true;
}

/** Commands that only read: `ipconfig`, `uptime`, `cat /etc/os-release`, `Get-Service`, `systemctl status x`. */
const READ_ONLY_COMMANDS = new Set([
  'ipconfig', 'ifconfig', 'hostname', 'uptime', 'whoami', 'id', 'cat', 'ls', 'dir', 'echo', 'date', 'df', 'du', 'free', 'ps',
  'uname', 'systeminfo', 'netstat', 'ss', 'which', 'where', 'type', 'test', '[', 'getent', 'env', 'printenv', 'pwd', 'head',
  'tail', 'grep', 'egrep', 'wc', 'false', ':', 'lsblk', 'lscpu', 'lsof', 'dig', 'nslookup', 'host', 'ping', 'stat', 'file', 'true', 'sleep',
  'tasklist', 'ver', 'java', 'python', 'python3', 'node', 'nproc', 'last', 'w', 'who', 'readlink', 'realpath', 'md5sum',
  'sha256sum', 'sha1sum', 'rpm', 'dpkg', 'dpkg-query', 'awk', 'sed', 'sort', 'uniq', 'cut', 'tr', 'jq', 'openssl',
]);
/** For these, only the named subcommands or flags are reads (`rpm -q`, `systemctl status`, `java -version`). */
const READ_ONLY_FORMS: Record<string, RegExp> = {
  rpm: /^rpm\s+-q/, dpkg: /^dpkg\s+(-l|-s|--list|--status|--get-selections)/, systemctl: /^systemctl\s+(status|is-active|is-enabled|show|list-\S+|cat)\b/,
  java: /^java\s+-version\b/, python: /^python3?\s+(--version|-V)\b/, python3: /^python3?\s+(--version|-V)\b/, node: /^node\s+(--version|-v)\b/,
  sed: /^sed\s+-n\b(?!.*\s-i)/, openssl: /^openssl\s+(x509|version|s_client)\b/,
  docker: /^docker\s+(ps|images|inspect|version|info|logs)\b/, kubectl: /^kubectl\s+(get|describe|version|logs|top)\b/, oc: /^oc\s+(get|describe|version|logs|whoami)\b/, git: /^git\s+(status|log|rev-parse|describe|diff|show)\b/,
};

/** True when every command of a line only reads (no redirection into a file, no writing subcommand). */
export function isReadOnlyCommand(line: string): boolean {
  const text = line.trim();
  // Redirection into a file writes, except into /dev/null or a scratch file under /tmp.
  if (!text || /(^|[^2&>])>>?(?!>)(?!\s*\/(dev\/null|tmp\/))/.test(text.replace(/2>&1/g, ''))) return false;
  const segments = text.split(/&&|\|\||[;|\n]/).map((x) => x.trim()).filter(Boolean);
  return segments.every((seg) => {
    const cmd = seg.replace(/^(sudo\s+(-\S+\s+)*|[A-Za-z_]\w*=\S*\s+)+/, '');
    const word = cmd.split(/\s+/)[0].replace(/^.*[\\/]/, '').toLowerCase();
    if (/^(get|test|select|measure|resolve|format|where|sort|out)-\w+$/.test(word)) return true; // PowerShell reads
    const form = READ_ONLY_FORMS[word];
    if (form) return form.test(cmd.replace(/^\S*[\\/]/, ''));
    return READ_ONLY_COMMANDS.has(word);
  });
}

/** ansible.builtin modules by short name: anything else on the control node may be the repository's own. */
const BUILTIN_MODULES = new Set([
  'add_host', 'apt', 'apt_key', 'apt_repository', 'assemble', 'assert', 'async_status', 'blockinfile', 'command', 'copy', 'cron',
  'deb822_repository', 'debconf', 'debug', 'dnf', 'dnf5', 'dpkg_selections', 'expect', 'fail', 'fetch', 'file', 'find',
  'gather_facts', 'get_url', 'getent', 'git', 'group', 'group_by', 'hostname', 'import_playbook', 'import_role', 'import_tasks',
  'include_role', 'include_tasks', 'include_vars', 'iptables', 'known_hosts', 'lineinfile', 'meta', 'package', 'pause', 'ping',
  'pip', 'raw', 'reboot', 'replace', 'rpm_key', 'script', 'service', 'set_fact', 'set_stats', 'setup', 'shell', 'slurp', 'stat',
  'subversion', 'systemd', 'systemd_service', 'sysvinit', 'tempfile', 'template', 'unarchive', 'uri', 'user', 'wait_for',
  'wait_for_connection', 'yum', 'yum_repository',
]);

export const PACKAGE_MODULES = new Set([
  'apk', 'apt', 'bower', 'bundler', 'dnf', 'dnf5', 'easy_install', 'gem', 'homebrew', 'jenkins_plugin', 'npm',
  'openbsd_package', 'openbsd_pkg', 'package', 'pacman', 'pear', 'pip', 'pkg5', 'pkgng', 'pkgutil', 'portage',
  'slackpkg', 'snap', 'sorcery', 'swdepot', 'win_chocolatey', 'yarn', 'yum', 'zypper', 'pnpm', 'cpanm', 'flatpak',
]);

export const COMMAND_MODULES = new Set(['command', 'shell', 'raw', 'win_command', 'win_shell']);

const SERVICE_MODULES = new Set(['service', 'systemd', 'systemd_service', 'sysvinit', 'win_service', 'openrc', 'runit', 'supervisorctl']);

const DEPLOY_MODULES = new Set([
  'git', 'unarchive', 'synchronize', 'deploy_helper', 'docker_container', 'docker_compose', 'docker_compose_v2',
  'docker_swarm_service', 'podman_container', 'podman_play', 'war', 'jboss', 'win_iis_website',
]);

/** Why a task restarts a service or deploys, or undefined. */
export function restartsOrDeploys(t: TaskInfo, file: YamlFile): string | undefined {
  if (!t.module) return undefined;
  const m = t.module.name;
  if (SERVICE_MODULES.has(m)) {
    const state = argValue(findArg(moduleArgs(file, t.node, t.module), 'state'));
    if (state && /^(restarted|reloaded|stopped)$/.test(state)) return `a service ${{ restarted: 'restart', reloaded: 'reload', stopped: 'stop' }[state]} (${t.module.fullName} state: ${state})`;
  }
  if (COMMAND_MODULES.has(m)) {
    const line = commandLine(t.node, t.module);
    const verb = /\bsystemctl\s+(?:\S+\s+)*?(restart|reload|stop)\b|\bservice\s+\S+\s+(restart|reload|stop)\b/.exec(line);
    if (verb) return (verb[1] ?? verb[2]) === 'stop' ? 'a service stop command' : 'a restart command';
  }
  if (DEPLOY_MODULES.has(m)) return `a deploy (${t.module.fullName})`;
  return undefined;
}

/** True when a task starts a service (`state: started`, `systemctl start`, `service x start`). */
export function startsService(t: TaskInfo, file: YamlFile): boolean {
  if (!t.module) return false;
  if (SERVICE_MODULES.has(t.module.name)) return argValue(findArg(moduleArgs(file, t.node, t.module), 'state')) === 'started';
  if (COMMAND_MODULES.has(t.module.name)) return /\bsystemctl\s+(\S+\s+)*?start\b|\bservice\s+\S+\s+start\b/.test(commandLine(t.node, t.module));
  return false;
}

/** System package managers: a play that uses them to install something is setting a host up. */
const SYSTEM_PACKAGE_MODULES = new Set(['apt', 'yum', 'dnf', 'dnf5', 'package', 'apk', 'zypper', 'pacman', 'homebrew', 'win_chocolatey', 'pkgng', 'openbsd_pkg', 'portage', 'snap']);

/** True when some task installs a system package (any state but `absent`/`removed`). */
export function installsSystemPackages(tasks: TaskInfo[], file: YamlFile): boolean {
  return tasks.some((t) => {
    if (!t.module || !SYSTEM_PACKAGE_MODULES.has(t.module.name)) return false;
    const args = moduleArgs(file, t.node, t.module);
    if (!findArg(args, 'name') && !findArg(args, 'pkg') && !findArg(args, 'deb')) return false; // `apt: update_cache=yes`
    return !/^(absent|removed)$/.test(argValue(findArg(args, 'state')) ?? 'present');
  });
}

export function positionAfterLine(file: YamlFile, line: number): Position {
  return { line, character: file.lines.line(line).length };
}




// ---- secrets on command lines -------------------------------------------------------------

export interface CommandLineSecret {
  /** The option or variable that carries it (`--password`, `-p`, `PGPASSWORD`). */
  option: string;
  /** The value as written, quotes removed. */
  value: string;
  range: Range;
  /** Where the option or variable name is written (the value's range when it has none, e.g. URL credentials). */
  optionRange: Range;
}

const VALUE = String.raw`(\{\{.*?\}\}\S*|"[^"]*"|'[^']*'|[^\s;&|]+)`;
/** Tools whose short option takes a password: `mysql -pX` (attached), `mongo -p X`, `sshpass -p X`, `redis-cli -a X`, `docker login -p X`. */
const SHORT_PASSWORD_OPTIONS: RegExp[] = [
  new RegExp(String.raw`\b(?:mysql\w*|mariadb[\w-]*)\b[^;&|\n]*?\s(-p)(?=[^\s-])${VALUE}`, 'g'),
  new RegExp(String.raw`\b(?:mongo|mongosh|mongodump|mongorestore|mongoimport|mongoexport|mongostat|mongotop)\b[^;&|\n]*?\s(-p)\s+${VALUE}`, 'g'),
  new RegExp(String.raw`\bsshpass\b[^;&|\n]*?\s(-p)\s*${VALUE}`, 'g'),
  new RegExp(String.raw`\bredis-cli\b[^;&|\n]*?\s(-a)\s+${VALUE}`, 'g'),
  new RegExp(String.raw`\b(?:docker|podman|buildah|skopeo|helm\s+registry)\s+login\b[^;&|\n]*?\s(-p)\s+${VALUE}`, 'g'),
];
/** `--password X`, `--api-token=X`, `-storepass X`: any option named like a secret. */
const NAMED_OPTION = new RegExp(String.raw`(?:^|\s)(--?[A-Za-z][\w-]*[A-Za-z0-9])(=|\s+)${VALUE}`, 'g');
/** `PGPASSWORD=X psql …`, `export API_TOKEN=X`. */
const ENV_ASSIGNMENT = new RegExp(String.raw`(?:^|[\s;&|(])([A-Za-z_]\w*)=${VALUE}`, 'g');
/** The option name given to a URL's password (`mysql://user:s3cret@db/app`). */
export const URL_PASSWORD = 'URL password';
/** `mysql://user:s3cret@db/app`: the password part of a URL (templated or literal). */
const URL_CREDENTIALS = /\b[a-z][\w+.-]*:\/\/(?:\{\{.*?\}\}|[^\s:@\/{]+):(\{\{.*?\}\}|[^\s@\/{]+)(?=@)/g;
/** mysql reads `--password X` as a prompt followed by a database name: only `--password=X` carries the value. */
const PROMPTING_LONG_OPTION = /\b(mysql\w*|mariadb[\w-]*)\b[^;&|\n]*$/;

/** The node holding a command/shell/raw task's command line, when it is a single string. */
function commandNode(mod: ModuleCall): Node | undefined {
  const v = mod.pair.value;
  if (isScalar(v)) return v;
  const cmd = getNode(v, 'cmd') ?? getNode(v, '_raw_params');
  return isScalar(cmd) ? (cmd as Node) : undefined;
}

/** Passwords, tokens and keys given on a command/shell/raw line (literal or templated), positioned at the value. */
export function commandLineSecrets(file: YamlFile, task: YAMLMap<Scalar, Node>, mod: ModuleCall): CommandLineSecret[] {
  if (!COMMAND_MODULES.has(mod.name)) return [];
  const node = commandNode(mod);
  const line = commandLine(task, mod);
  const out: CommandLineSecret[] = [];
  const seen = new Set<number>();
  const add = (option: string, raw: string, matchText: string, matchIndex: number) => {
    if (raw.startsWith('-') || /^\$\{?[A-Za-z_]\w*\}?$/.test(raw)) return; // a flag (prompts) or a shell variable
    const valueIndex = matchIndex + matchText.length - raw.length;
    if (seen.has(valueIndex)) return;
    seen.add(valueIndex);
    const value = raw.replace(/^(["'])(.*)\1$/, '$2');
    // `--secret=/home/{{ user }}/.google_authenticator`, `--token-file ~/.t`: where the secret is kept, not the secret.
    if (!value || /^(\/|~\/|\.\.?\/|@)/.test(value) || isPathValue(value)) return;
    // The value's own range when the match is written verbatim in the source, else the whole command.
    const written = matchText.trimStart();
    const at = node ? offsetInScalar(file, node, written) : undefined;
    const whole = rangeOfNode(file, node ?? mod.pair.value ?? mod.pair.key);
    const valueRange = at !== undefined ? file.lines.rangeOf(at + written.length - raw.length, at + written.length) : whole;
    const optionAt = written.indexOf(option);
    const optionRange = at !== undefined && optionAt >= 0 && optionAt < written.length - raw.length ? file.lines.rangeOf(at + optionAt, at + optionAt + option.length) : valueRange;
    out.push({ option, value, range: valueRange, optionRange });
  };
  for (const re of SHORT_PASSWORD_OPTIONS) {
    re.lastIndex = 0;
    for (let m = re.exec(line); m; m = re.exec(line)) add(m[1], m[2], m[0], m.index);
  }
  NAMED_OPTION.lastIndex = 0;
  for (let m = NAMED_OPTION.exec(line); m; m = NAMED_OPTION.exec(line)) {
    const name = m[1].replace(/^-+/, '');
    if (!isSecretName(name)) continue;
    if (m[2] !== '=' && PROMPTING_LONG_OPTION.test(line.slice(0, m.index))) continue;
    add(m[1], m[3], m[0], m.index);
  }
  ENV_ASSIGNMENT.lastIndex = 0;
  for (let m = ENV_ASSIGNMENT.exec(line); m; m = ENV_ASSIGNMENT.exec(line)) {
    if (isSecretName(m[1])) add(m[1], m[2], m[0], m.index);
  }
  URL_CREDENTIALS.lastIndex = 0;
  for (let m = URL_CREDENTIALS.exec(line); m; m = URL_CREDENTIALS.exec(line)) add(URL_PASSWORD, m[1], m[0], m.index);
  return out;
}

// ---- task and vars files included from playbooks and task files ---------------------------

const TASK_INCLUDES = new Set(['include', 'include_tasks', 'import_tasks']);

/**
 * Files a playbook or task file reads as tasks (`include_tasks`, `import_tasks`, old `include`) or
 * as variables (`vars_files`, `include_vars`), resolved against the including file's folder (a
 * role's `include_vars` against the role's `vars/`). Templated paths cannot be resolved and are left out.
 */
export function ansibleIncludeReferences(file: YamlFile, kind: FileKind, absPath: string): Reference[] {
  const dir = path.posix.dirname(absPath);
  const out: Reference[] = [];
  const add = (node: YNode, refKind: 'ansible_tasks' | 'ansible_vars', base = dir) => {
    const raw = stringValue(node)?.trim().split(/\s+/)[0];
    if (!raw || raw.includes('{{') || raw.includes('=') || !/\.(ya?ml|json)$|^[^.]+$/i.test(path.posix.basename(raw))) return;
    out.push({ target: path.posix.normalize(path.posix.isAbsolute(raw) ? raw : path.posix.join(base, raw)), range: rangeOfNode(file, node), kind: refKind, raw });
  };
  if (kind === 'ansible-playbook') {
    for (const play of playsOf(file)) {
      for (const item of seqItems(getNode(play, 'vars_files'))) {
        // `- [ "vars/{{ os }}.yml", "vars/defaults.yml" ]`: the first file found wins; each may be read.
        if (isSeq(item)) for (const alt of seqItems(item)) add(alt, 'ansible_vars');
        else add(item, 'ansible_vars');
      }
    }
  }
  // A role's include_vars reads from the role's vars/ (at any depth of roles/ and of tasks/).
  const inRole = roleOfPath(absPath.replace(/^\/+/, ''));
  const roleVars = inRole?.part === 'tasks' ? path.posix.join(absPath.slice(0, absPath.lastIndexOf('/roles/' + inRole.name + '/') + 1), 'roles', inRole.name, 'vars') : dir;
  for (const t of tasksOf(file, kind)) {
    if (!t.module) continue;
    const v = t.module.pair.value;
    const node = isMap(v) ? getNode(v, 'file') : v;
    if (TASK_INCLUDES.has(t.module.name)) add(node, 'ansible_tasks');
    else if (t.module.name === 'include_vars') add(node, 'ansible_vars', roleVars);
  }
  return out;
}

/** Tasks of the task files that `tasks` include (`include_tasks`/`import_tasks`), found in the index, recursively. */
export function includedTasks(index: IndexView, fromPath: string, tasks: TaskInfo[], depth = 0): TaskInfo[] {
  if (depth > 5) return [];
  const dir = path.posix.dirname(fromPath);
  const out: TaskInfo[] = [];
  for (const t of tasks) {
    if (!t.module || !TASK_INCLUDES.has(t.module.name)) continue;
    const v = t.module.pair.value;
    const raw = stringValue(isMap(v) ? getNode(v, 'file') : v)?.trim().split(/\s+/)[0];
    if (!raw || raw.includes('{{')) continue;
    const target = index.get(path.posix.normalize(path.posix.isAbsolute(raw) ? raw : path.posix.join(dir, raw)));
    const file = target && target.kind === 'ansible-tasks' ? yamlOf(target.parsed) : undefined;
    if (!target || !file) continue;
    const own = tasksOf(file, 'ansible-tasks');
    out.push(...own, ...includedTasks(index, target.path, own, depth + 1));
  }
  return out;
}
