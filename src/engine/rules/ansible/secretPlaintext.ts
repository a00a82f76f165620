import { isMap, isScalar, isSeq, Node, Scalar } from 'yaml';
import { getNode, keyName, nodeRange, pairs, seqItems, tagOf, YamlFile, YNode } from '../../parsers/yaml';
import type { TextFile } from '../../model';
import type { Range, RuleFinding } from '../../types';
import type { Rule } from '../types';
import { throwAwayKind, throwAwaySummary } from '../../nonProduction';
import type { LocalEvidence } from '../../localEnvironment';
import { isLiteralSecretValue, isNotSecretValueFor, isPasswordHash, isSecretName, secretEvidence } from '../secretNames';
import { COMMAND_MODULES, commandLineSecrets, URL_PASSWORD, moduleArgs, playsOf, tasksOf, yamlOf } from './ansibleUtil';

// A password in a vars file, a task argument or a command line is in every clone, fork, CI log
// and backup of the repository. Secrets belong in a vault: `ansible-vault encrypt_string`
// (`!vault |`), or a lookup into HashiCorp Vault / a cloud secrets manager, referenced from the
// vars (`"{{ vault_db_password }}"`). A crypt hash (`$6$…`) is what the `user` module wants, but
// it can be cracked offline, so it is reported too, as a hash (milder).
export const rule: Rule<YamlFile | TextFile> = {
  meta: {
    id: 'ansible/secret-plaintext',
    description: 'A password, secret, token or key holds a plaintext literal (in vars, module arguments, loop items or a command line) instead of a vaulted value or lookup.',
    defaultSeverity: 'error',
    practice: 'secrets-management',
    kinds: ['ansible-vars', 'ansible-inventory', 'ansible-playbook', 'ansible-tasks'],
    credentialsOnlyOffProduction: true,
    // A plaintext secret passed to a task: moving it to the vault is the fix; its missing `no_log` is the same line's second symptom.
    subsumes: ['ansible/no-log-missing'],
  },
  check(ctx) {
    if (TEST_DATA.test(ctx.file.relPath)) return [];
    // Sample values of a throw-away environment (a Vagrant VM, a lab, a test inventory): one finding for the file.
    const local: { name: string; range: Range; evidence: LocalEvidence }[] = [];
    const throwAway = (name: string, value: string, range: Range): boolean => {
      const kind = throwAwayKind(ctx.file, ctx.config, ctx.index, value, name);
      if (kind && kind !== 'example') local.push({ name, range, evidence: kind });
      return kind !== undefined;
    };
    const withLocal = (out: RuleFinding[]): RuleFinding[] =>
      local.length ? [...out, throwAwaySummary(local[0].evidence, local.map((l) => l.name), local[0].range, 'move them to the vault (`ansible-vault encrypt_string`)')] : out;
    if (ctx.parsed.type === 'text' && ctx.file.kind === 'ansible-inventory') return withLocal(iniInventorySecrets(ctx.parsed, throwAway));
    const file = yamlOf(ctx.parsed);
    if (!file) return [];
    const out: RuleFinding[] = [];
    const kind = ctx.file.kind;
    // A role's defaults are meant to be overridden, and a vars file that tells its reader to edit
    // it ("change this to your key") is a starting point: `changeme` there says "set this".
    const placeholders = /(^|\/)defaults\//.test(ctx.file.relPath) || asksToBeEdited(ctx.parsed.text);
    const report: Report = (name, value, range, shownAs = name) => {
      if (!isSecretName(name) || !isLiteralSecretValue(value) || isNotSecretValueFor(name, value, { placeholders })) return;
      // A sample password of an example, a test or a throw-away environment (a Vagrant VM, a lab, a local stack): only a credential-shaped value is reported.
      if (throwAway(shownAs, String(value), range)) return;
      out.push(finding(shownAs, String(value), range));
    };
    if (kind === 'ansible-vars' || kind === 'ansible-inventory') {
      for (const doc of file.docs) walk(file, doc.contents as YNode, report, 0);
      return withLocal(out);
    }
    if (kind === 'ansible-playbook') {
      for (const play of playsOf(file)) {
        walk(file, getNode(play, 'vars'), report, 0);
        walk(file, getNode(play, 'environment'), report, 0);
        // `roles: [{ role: db, db_password: … }]` passes role variables inline.
        for (const r of seqItems(getNode(play, 'roles'))) if (isMap(r)) walk(file, r, report, 0);
      }
    }
    for (const t of tasksOf(file, kind)) {
      walk(file, getNode(t.node, 'vars'), report, 0);
      walk(file, getNode(t.node, 'environment'), report, 0);
      for (const p of pairs(t.node)) {
        const k = keyName(p) ?? '';
        if (k === 'loop' || k.startsWith('with_')) walk(file, p.value, report, 0);
      }
      if (t.isBlock || !t.module) continue;
      for (const s of commandLineSecrets(file, t.node, t.module)) {
        if (isLiteralSecretValue(s.value) && !isNotSecretValueFor(s.option.replace(/^-+/, ''), s.value) && !throwAway(s.option, s.value, s.range)) out.push(finding(s.option, s.value, s.range, true));
      }
      // A command line's `k=v` words are shell (read above), not module arguments.
      if (!COMMAND_MODULES.has(t.module.name) || isMap(t.module.pair.value)) {
        for (const a of moduleArgs(file, t.node, t.module)) {
          if (a.node && (isMap(a.node) || isSeq(a.node))) walk(file, a.node, report, 0);
          else if (a.node && isScalar(a.node) && tagOf(a.node) !== '!vault') report(a.key, (a.node as Scalar).value, a.valueRange);
          else if (a.text !== undefined) report(a.key, a.text, a.valueRange);
        }
      }
    }
    return withLocal(out);
  },
};

/**
 * Test inputs (a CI test cluster's group_vars, molecule scenarios, fixtures) hold throwaway
 * credentials by design, as k8s/secret-literal reads them; so do workshop exercises and demos,
 * whose lab passwords are part of the lesson.
 */
export const TEST_DATA = /(^|\/)(testdata|test|tests|__tests__|fixtures|e2e|molecule|exercises|demos?)\//;

function finding(name: string, value: string, range: Range, commandLine = false): RuleFinding {
  return { ...secretEvidence(value), ...findingOf(name, value, range, commandLine) };
}

function findingOf(name: string, value: string, range: Range, commandLine: boolean): RuleFinding {
  if (isPasswordHash(value)) {
    return {
      range,
      severity: 'warning',
      message: `'${name}' holds a password hash (${value.slice(0, value.indexOf('$', 1) + 1)}…): a hash in the repository can be cracked offline, so it still belongs in the vault (\`ansible-vault encrypt_string\`, or a vaulted variable such as \`"{{ vault_${safeVar(name)} }}"\`).`,
    };
  }
  if (commandLine) {
    return {
      range,
      message: `The command line passes a plaintext ${name === URL_PASSWORD ? 'password in a URL (`user:…@`)' : `secret with '${name}'`}: it is in the repository and in the host's process list. Reference a vaulted variable (with \`no_log: true\`), or pass it through \`environment:\` or stdin.`,
    };
  }
  return {
    range,
    message: `'${name}' holds a plaintext secret: encrypt it with ansible-vault (\`ansible-vault encrypt_string\`, a \`!vault\` value) or reference a vaulted variable or secrets-manager lookup (e.g. \`"{{ vault_${safeVar(name)} }}"\`).`,
  };
}

/** `db1 ansible_become_pass=s3cret` host variables and `[all:vars]` lines of an INI inventory. */
function iniInventorySecrets(file: TextFile, throwAway: (name: string, value: string, range: Range) => boolean): RuleFinding[] {
  const out: RuleFinding[] = [];
  for (let line = 0; line < file.lines.lineCount; line++) {
    const text = file.lines.line(line);
    if (/^\s*[#;[]/.test(text)) continue;
    const start = file.lines.offsetAt({ line, character: 0 });
    for (const m of text.matchAll(/(^|\s)([A-Za-z_]\w*)\s*=\s*("[^"]*"|'[^']*'|\S+)/g)) {
      const value = m[3].replace(/^(["'])(.*)\1$/, '$2');
      if (!isSecretName(m[2]) || !isLiteralSecretValue(value) || isNotSecretValueFor(m[2], value)) continue;
      const at = start + m.index! + m[0].length - m[3].length;
      if (throwAway(m[2], value, file.lines.rangeOf(at, at + m[3].length))) continue;
      out.push(finding(m[2], value, file.lines.rangeOf(at, at + m[3].length)));
    }
  }
  return out;
}

function safeVar(name: string): string {
  return name.replace(/[^A-Za-z0-9_]/g, '_').toLowerCase();
}

type Report = (name: string, value: unknown, range: Range, shownAs?: string) => void;

/** Fields of a map named like a secret (`db_credentials: {user: …, password: …}`) that are not the secret. */
const NOT_SECRET_FIELDS = /^(name|user|username|login|id|key_id|type|path|file|host|hostname|url|uri|port|enabled|state|mode|owner|group|description|expires|ttl|length|format|algorithm|version|region|email|header|db|database|priv|roles?)$/i;

function walk(file: YamlFile, node: YNode, report: Report, depth: number, holder?: { check: string; shown: string }): void {
  if (depth > 20) return;
  if (isSeq(node)) {
    for (const item of seqItems(node)) walk(file, item, report, depth + 1);
    return;
  }
  for (const p of pairs(node)) {
    const name = keyName(p);
    const value = p.value as Node | null;
    if (isMap(value) || isSeq(value)) {
      // `app_secrets: {dev: …, prod: …}`: the values under a secret's name are secrets whatever their keys.
      const check = name && isMap(value) ? [name, name.replace(/s$/, '')].find((n) => isSecretName(n)) : undefined;
      walk(file, value, report, depth + 1, check ? { check, shown: name! } : undefined);
      continue;
    }
    if (!name || !isScalar(value) || tagOf(value) === '!vault') continue;
    if (holder && !isSecretName(name) && !NOT_SECRET_FIELDS.test(name) && typeof value.value === 'string') report(holder.check, value.value, nodeRange(file, value), `${holder.shown}.${name}`);
    else report(name, value.value, nodeRange(file, value));
  }
}

/** A comment that tells the reader to edit the file's values: "change this to your …", "you have to modify …". */
const EDIT_ME = /^\s*#.*(\b(change|modify|replace|edit|set|fill in)\s+(this|these|them|it|the values?|each)\b|\byou\s+(have|need|must)\s+to\s+(modify|change|set|edit|replace)\b|\bmake\s+sure\s+to\s+(change|set|replace)\b)/im;

function asksToBeEdited(text: string): boolean {
  return EDIT_ME.test(text);
}
