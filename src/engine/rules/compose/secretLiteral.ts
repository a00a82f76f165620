import { isMap, isScalar, isSeq, Node } from 'yaml';
import { getPair, keyName, nodeRange, pairs, seqItems, stringValue, YamlFile } from '../../parsers/yaml';
import type { Range, RuleFinding } from '../../types';
import { isLiteralSecretValue, isSecretName } from '../secretNames';
import type { Rule } from '../types';
import { composeServices, yamlOf } from './composeUtil';
import { nonProductionSample } from '../../nonProduction';

// A password or token written into a Compose file's `environment:` is in the repository, in every
// clone and in `docker inspect`. Compose reads it from the shell or an `.env` file left out of git
// (`POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}`), or from a secret (`secrets:` with `*_FILE`).
// Names are judged by the shared secret-name classifier; values by the shared literal test
// (variables, paths and URLs without credentials are not secrets). In examples, tests and
// fixtures (the config's `nonProduction`) only a value shaped like a real credential counts.
export const rule: Rule<YamlFile> = {
  meta: {
    id: 'compose/secret-literal',
    description: 'A Docker Compose service sets a password, token or key as a literal value in `environment:`.',
    defaultSeverity: 'warning',
    practice: 'secrets-management',
    kinds: ['compose'],
    credentialsOnlyOffProduction: true,
  },
  check(ctx) {
    const file = yamlOf(ctx.parsed);
    if (!file) return [];
    const sample = (v: unknown): boolean => nonProductionSample(ctx.file, ctx.config, String(v));
    const out: RuleFinding[] = [];
    for (const s of composeServices(file)) {
      const env = getPair(s.node, 'environment')?.value as Node | undefined;
      const found: { name: string; range: Range }[] = [];
      if (isMap(env)) {
        for (const p of pairs(env)) {
          const name = keyName(p) ?? '';
          const v = isScalar(p.value) ? p.value.value : undefined;
          if (isSecretName(name) && isLiteralSecretValue(v) && !sample(v)) found.push({ name, range: nodeRange(file, p.value as Node) });
        }
      } else if (isSeq(env)) {
        for (const item of seqItems(env)) {
          const text = stringValue(item) ?? '';
          const eq = text.indexOf('=');
          if (eq <= 0) continue;
          const name = text.slice(0, eq);
          if (isSecretName(name) && isLiteralSecretValue(text.slice(eq + 1)) && !sample(text.slice(eq + 1))) found.push({ name, range: nodeRange(file, item as Node) });
        }
      }
      for (const f of found) {
        out.push({
          range: f.range,
          message: `Service '${s.name}' sets \`${f.name}\` to a literal value in the repository: read it from the environment or an untracked \`.env\` file (\`${f.name}: \${${f.name}}\`) or a Compose secret, and rotate it.`,
        });
      }
    }
    return out;
  },
};
