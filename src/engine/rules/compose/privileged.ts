import { isSeq } from 'yaml';
import { getPair, isTrue, pairRange, seqItems, stringValue, YamlFile } from '../../parsers/yaml';
import type { RuleFinding } from '../../types';
import type { Rule } from '../types';
import { composeServices, yamlOf } from './composeUtil';

// As k8s/privileged for Compose: `privileged: true` (or `cap_add: [ALL]`) hands the container the
// host's devices and every kernel capability, so a compromise of the service is a compromise of
// the host. Least privilege: add the single capability the service needs.
export const rule: Rule<YamlFile> = {
  meta: {
    id: 'compose/privileged',
    description: 'A Docker Compose service runs privileged (`privileged: true` or `cap_add: [ALL]`).',
    defaultSeverity: 'warning',
    practice: 'least-privilege',
    kinds: ['compose'],
  },
  check(ctx) {
    const file = yamlOf(ctx.parsed);
    if (!file) return [];
    const out: RuleFinding[] = [];
    for (const s of composeServices(file)) {
      const priv = getPair(s.node, 'privileged');
      if (priv && isTrue(priv.value)) {
        out.push({ range: pairRange(file, priv), message: `Service '${s.name}' runs privileged (full access to the host): remove \`privileged: true\` and add only the capabilities it needs (\`cap_add:\`).` });
      }
      const caps = getPair(s.node, 'cap_add');
      if (caps && isSeq(caps.value) && seqItems(caps.value).some((c) => /^(CAP_)?ALL$/i.test(stringValue(c) ?? ''))) {
        out.push({ range: pairRange(file, caps), message: `Service '${s.name}' adds every kernel capability (\`cap_add: [ALL]\`): add only the capabilities it needs.` });
      }
    }
    return out;
  },
};
