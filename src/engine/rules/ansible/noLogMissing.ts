import { isMap, Node, Scalar, YAMLMap } from 'yaml';
import { getNode, getPair, isTrue, keyName, nodeRange, pairs, stringValue, YamlFile, YNode } from '../../parsers/yaml';
import type { Fix, Range, RuleFinding } from '../../types';
import type { Rule } from '../types';
import { ArgRef, COMMAND_MODULES, commandLineSecrets, URL_PASSWORD, lastContentLine, moduleArgs, TaskInfo, tasksOf, yamlOf } from './ansibleUtil';
import { isLiteralSecretValue, isPathValue, isSecretName, nameTokens } from '../secretNames';
import { throwAwaySample } from '../../nonProduction';
import { TEST_DATA } from './secretPlaintext';
import { moduleMasks, taskLoops } from './maskedArgs';

// Ansible prints module arguments in failure messages, in `-v` output and in callback logs
// (AWX/Tower job output, CI logs): a task passing a password without `no_log: true` writes the
// secret wherever those logs go, even when the value comes from a vault.
export const rule: Rule<YamlFile> = {
  meta: {
    id: 'ansible/no-log-missing',
    description: 'A task passes a password, secret or token argument without `no_log: true`, so the value can reach logs.',
    defaultSeverity: 'warning',
    practice: 'secrets-management',
    kinds: ['ansible-playbook', 'ansible-tasks'],
    fixable: true,
    equivalents: [{ tool: 'ansible-lint', id: 'no-log-password' }],
  },
  check(ctx) {
    const file = yamlOf(ctx.parsed);
    // Exercises, demos and test inputs log their lab credentials on purpose (see secret-plaintext).
    if (!file || TEST_DATA.test(ctx.file.relPath)) return [];
    const out: RuleFinding[] = [];
    for (const t of tasksOf(file, ctx.file.kind)) {
      if (t.isBlock || !t.module) continue;
      if (inheritsNoLog(t)) continue;
      const onCommandLine = commandLineSecrets(file, t.node, t.module)[0];
      // A command line's `k=v` words are shell (read above), not module arguments.
      const args = COMMAND_MODULES.has(t.module.name) && !isMap(t.module.pair.value) ? [] : moduleArgs(file, t.node, t.module);
      // An argument the module masks itself (`no_log=True` in its argument spec) is not printed, unless a loop label shows it.
      const loops = taskLoops(t);
      const unmasked = args.filter((a) => loops || !moduleMasks(t.module!, a.key));
      const secret = onCommandLine ? undefined : secretArg(file, unmasked, t.module.name);
      if (!onCommandLine && !secret) continue;
      // A literal sample password of an example, a test or a throw-away environment (a Vagrant VM,
      // a lab, a local stack) is in the repository by design: no log can leak it further.
      const shown = onCommandLine ? { name: onCommandLine.option.replace(/^-+/, ''), value: onCommandLine.value } : { name: secret!.name, value: secret!.value };
      if (shown.value !== undefined && isLiteralSecretValue(shown.value) && throwAwaySample(ctx.file, ctx.config, ctx.index, shown.value, shown.name)) continue;
      const fix = noLogFix(file, t.node);
      out.push({
        range: onCommandLine ? onCommandLine.optionRange : secret!.range,
        message: onCommandLine
          ? `${t.module.fullName} passes a secret on its command line (${onCommandLine.option === URL_PASSWORD ? 'a password in a URL' : `'${onCommandLine.option}'`}) without \`no_log: true\`: the rendered command appears in task output and job logs (and the host's process list). Add \`no_log: true\` to the task, and prefer \`environment:\` or stdin for the secret.`
          : `${t.module.fullName} passes '${secret!.name}' without \`no_log: true\`: the value can appear in task output and job logs. Add \`no_log: true\` to the task.`,
        fixes: fix ? [fix] : undefined,
      });
    }
    return out;
  },
};

function noLogValue(n: YNode): 'on' | 'off' | 'unset' {
  if (n === undefined) return 'unset';
  const s = stringValue(n) ?? '';
  if (/^\{\{.*\}\}$/s.test(s.trim())) return 'on'; // a template: cannot evaluate, trust it
  return isTrue(n) ? 'on' : 'off';
}

function inheritsNoLog(t: TaskInfo): boolean {
  const own = noLogValue(getNode(t.node, 'no_log'));
  if (own !== 'unset') return own === 'on';
  for (const holder of [...t.parents].reverse().concat(t.play ? [t.play] : [])) {
    const v = noLogValue(getNode(holder, 'no_log'));
    if (v !== 'unset') return v === 'on';
  }
  return false;
}

/** The first argument (nested maps included, e.g. `body:`/`headers:`) named like a secret with a value. */
const STRONG_SECRET_WORDS = new Set(['password', 'passwd', 'pass', 'pwd', 'passphrase', 'secret', 'token']);

/**
 * The secret argument to name (nested maps included, e.g. `body:`/`headers:`): a password, secret
 * or token before a key (`ec2: access_key=… secret_key=…` names `secret_key`), else the first.
 */
function secretArg(file: YamlFile, args: ArgRef[], module: string): { name: string; range: Range; value?: string } | undefined {
  const found: { name: string; range: Range; value?: string }[] = [];
  for (const a of args) {
    if (isSecretName(a.key) && hasValue(a) && !(KEY_FILE_ARGS.test(a.key) && !VARIABLE_MODULES.has(module) && namesFile(a))) found.push({ name: a.key, range: a.keyRange, value: argText(a) });
    else if (a.node && isMap(a.node)) {
      const nested = nestedSecret(file, a.node, 0);
      if (nested) found.push(nested);
    }
  }
  return found.find((f) => nameTokens(f.name).some((t) => STRONG_SECRET_WORDS.has(t))) ?? found[0];
}

function nestedSecret(file: YamlFile, map: YNode, depth: number): { name: string; range: Range; value?: string } | undefined {
  if (depth > 5) return undefined;
  for (const p of pairs(map)) {
    const k = keyName(p);
    if (k && isSecretName(k) && p.value != null && !isMap(p.value) && isSecretText(stringValue(p.value) ?? '') && typeof (p.value as Scalar).value !== 'boolean') {
      return { name: k, range: nodeRange(file, p.key), value: stringValue(p.value) };
    }
    if (isMap(p.value)) {
      const n = nestedSecret(file, p.value, depth + 1);
      if (n) return n;
    }
  }
  return undefined;
}

/**
 * Module arguments that modules document as the path of a key file, not the key: `client_key`
 * of uri, get_url, k8s, docker and the database modules, `ssl_key`/`tls_key` of the database and
 * web server modules. A template there names the file (`{{ kube_apiserver_client_key }}`);
 * the key's text itself (a PEM block, a file lookup) still counts.
 */
const KEY_FILE_ARGS = /^(client|ssl|tls|tls_client)_key$/;
/** Modules whose arguments are variables of any content, not another module's documented parameters. */
const VARIABLE_MODULES = new Set(['set_fact', 'set_stats', 'include_vars', 'include_role', 'import_role', 'include_tasks', 'import_tasks', 'debug', 'assert']);

function namesFile(a: ArgRef): boolean {
  const v = (argText(a) ?? '').trim();
  if (/-----BEGIN|\blookup\s*\(|\bquery\s*\(|\bq\s*\(|b64decode|vault/.test(v)) return false;
  return /^\{\{-?\s*[\w.[\]'"]+\s*(\|[^}]*)?-?\}\}$/.test(v) || isPathValue(v);
}

function argText(a: ArgRef): string | undefined {
  if (a.text !== undefined) return a.text;
  const n = a.node as Scalar | undefined;
  return n && !isMap(n) && typeof n.value === 'string' ? n.value : undefined;
}

function hasValue(a: ArgRef): boolean {
  if (a.text !== undefined) return isSecretText(a.text);
  const n = a.node as Scalar | undefined;
  if (!n || isMap(n)) return false;
  const v = (n as Scalar).value;
  if (typeof v === 'boolean' || v === null || v === undefined) return false;
  return isSecretText(String(v));
}

/**
 * Not empty, not `!`/`*` (a locked account, as the `user` module writes it), and not where the
 * secret is kept (`ssl_key: /etc/ssl/private/api.key`, `client_key: "{{ tls_key_path }}"`): a
 * path is printed harmlessly; the module reads the file on the host.
 */
function isSecretText(v: string): boolean {
  return v.trim() !== '' && !/^[!*]+$/.test(v.trim()) && !isPathValue(v);
}

/** Adds `no_log: true` at the task's key indentation after its last line (or flips `no_log: false`). */
function noLogFix(file: YamlFile, task: YAMLMap<Scalar, Node>): Fix | undefined {
  const existing = getPair(task, 'no_log');
  if (existing) {
    if (!existing.value) return undefined;
    return { title: 'Set `no_log: true`', isPreferred: true, edits: [{ range: nodeRange(file, existing.value), newText: 'true' }] };
  }
  const first = pairs(task)[0];
  if (!first) return undefined;
  const col = nodeRange(file, first.key).start.character;
  const line = lastContentLine(file, task);
  const end = { line, character: file.lines.line(line).length };
  return { title: 'Add `no_log: true` to the task', isPreferred: true, edits: [{ range: { start: end, end }, newText: `${file.lines.eol}${' '.repeat(col)}no_log: true` }] };
}
