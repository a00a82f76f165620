import { isMap, isScalar, isSeq, Node } from 'yaml';
import { getNode, keyName, nodeRange, pairs, seqItems, tagOf, YamlFile, YNode } from '../../parsers/yaml';
import type { RuleFinding } from '../../types';
import type { Rule } from '../types';
import { playsOf, tasksOf, yamlOf } from './ansibleUtil';
import { isLiteralSecretValue, isSecretName } from './secretNames';

// A password in a vars file is in every clone, fork, CI log and backup of the repository.
// Secrets belong in a vault: `ansible-vault encrypt_string` (`!vault |`), or a lookup into
// HashiCorp Vault / a cloud secrets manager, referenced from the vars (`"{{ vault_db_password }}"`).
export const rule: Rule<YamlFile> = {
  meta: {
    id: 'ansible/secret-plaintext',
    description: 'A password, secret, token or key variable holds a plaintext literal instead of a vaulted value or lookup.',
    defaultSeverity: 'error',
    practice: 'secrets-management',
    kinds: ['ansible-vars', 'ansible-inventory', 'ansible-playbook', 'ansible-tasks'],
  },
  check(ctx) {
    const file = yamlOf(ctx.parsed);
    if (!file) return [];
    const out: RuleFinding[] = [];
    const kind = ctx.file.kind;
    if (kind === 'ansible-vars' || kind === 'ansible-inventory') {
      for (const doc of file.docs) walk(file, doc.contents as YNode, out, 0);
    } else {
      if (kind === 'ansible-playbook') for (const play of playsOf(file)) walk(file, getNode(play, 'vars'), out, 0);
      for (const t of tasksOf(file, kind)) walk(file, getNode(t.node, 'vars'), out, 0);
    }
    return out;
  },
};

function walk(file: YamlFile, node: YNode, out: RuleFinding[], depth: number): void {
  if (depth > 20) return;
  if (isSeq(node)) {
    for (const item of seqItems(node)) walk(file, item, out, depth + 1);
    return;
  }
  for (const p of pairs(node)) {
    const name = keyName(p);
    const value = p.value as Node | null;
    if (isMap(value) || isSeq(value)) {
      walk(file, value, out, depth + 1);
      continue;
    }
    if (!name || !isScalar(value) || !isSecretName(name)) continue;
    if (tagOf(value) === '!vault') continue;
    if (!isLiteralSecretValue(value.value)) continue;
    out.push({
      range: nodeRange(file, value),
      message: `'${name}' holds a plaintext secret: encrypt it with ansible-vault (\`ansible-vault encrypt_string\`, a \`!vault\` value) or reference a vaulted variable or secrets-manager lookup (e.g. \`"{{ vault_${name} }}"\`).`,
    });
  }
}
