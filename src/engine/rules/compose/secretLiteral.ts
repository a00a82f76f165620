import { isMap, isScalar, isSeq, Node } from 'yaml';
import type { IndexedFile } from '../../model';
import { getPair, keyName, nodeRange, pairs, seqItems, stringValue, YamlFile } from '../../parsers/yaml';
import type { Range, RuleFinding } from '../../types';
import { isLiteralSecretValue, isNotSecretValueFor, isSecretName, secretEvidence } from '../secretNames';
import type { Rule } from '../types';
import { composeServices, yamlOf } from './composeUtil';
import { isNonProduction, throwAwayKind, throwAwaySummary } from '../../nonProduction';

// A password or token written into a Compose file's `environment:` is in the repository, in every
// clone and in `docker inspect`. Compose reads it from the shell or an `.env` file left out of git
// (`POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}`), or from a secret (`secrets:` with `*_FILE`).
// Names are judged by the shared secret-name classifier; values by the shared literal test
// (variables, paths and URLs without credentials are not secrets). In examples, tests and
// fixtures (the config's `nonProduction`) only a value shaped like a real credential counts.
// One value copied from a Compose file into the files of folders below it (each service's own
// development file) is one secret to move and rotate: reported on the file above, naming the
// copies; and once per file when several services share it.

interface Literal {
  service: string;
  name: string;
  value: string;
  range: Range;
}

export const rule: Rule<YamlFile> = {
  meta: {
    id: 'compose/secret-literal',
    description: 'A Docker Compose service sets a password, token or key as a literal value in `environment:`.',
    defaultSeverity: 'warning',
    practice: 'secrets-management',
    kinds: ['compose'],
    credentialsOnlyOffProduction: true,
    crossFile: true,
  },
  check(ctx) {
    const file = yamlOf(ctx.parsed);
    if (!file) return [];
    const all = literalsOf(file).map((l) => ({ l, kind: throwAwayKind(ctx.file, ctx.config, ctx.index, l.value, l.name) }));
    const mine = all.filter((x) => x.kind === undefined).map((x) => x.l);
    // Sample values of a local development or demo stack: one finding for the file.
    const local = all.filter((x) => x.kind && x.kind !== 'example');
    const summary = local.length ? [throwAwaySummary(local[0].kind as Exclude<typeof local[0]['kind'], 'example' | undefined>, local.map((x) => x.l.name), local[0].l.range, 'read them from an untracked `.env` file or Compose secrets')] : [];
    if (!mine.length) return summary;
    // The other Compose files that set the same variable to the same value, by path.
    const others = ctx.index
      .byKind('compose')
      .filter((f) => f.path !== ctx.file.path && !isNonProduction(f, ctx.config))
      .map((f) => ({ rel: f.relPath, literals: cachedLiterals(f) }));
    const dir = (rel: string): string => (rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/') + 1) : '');
    const mineDir = dir(ctx.file.relPath);
    const out: RuleFinding[] = [];
    const seen = new Set<string>();
    for (const l of mine) {
      const key = `${l.name}\u0000${l.value}`;
      const same = others.filter((o) => o.literals.some((x) => `${x.name}\u0000${x.value}` === key)).map((o) => o.rel);
      // A copy of a file in a folder above this one: reported there.
      if (seen.has(key) || same.some((rel) => dir(rel).length < mineDir.length && mineDir.startsWith(dir(rel)))) continue;
      const copies = same.filter((rel) => dir(rel).length > mineDir.length && dir(rel).startsWith(mineDir));
      seen.add(key);
      const also = copies.length ? ` The same value is copied into ${copies.length} Compose file${copies.length > 1 ? 's' : ''} below (${copies.slice(0, 3).join(', ')}${copies.length > 3 ? ', …' : ''}): one secret to move and rotate.` : '';
      out.push({
        range: l.range,
        ...secretEvidence(l.value),
        message: `Service '${l.service}' sets \`${l.name}\` to a literal value in the repository: read it from the environment or an untracked \`.env\` file (\`${l.name}: \${${l.name}}\`) or a Compose secret, and rotate it.${also}`,
      });
    }
    return [...out, ...summary];
  },
};

const literalCache = new WeakMap<IndexedFile, Literal[]>();

function cachedLiterals(f: IndexedFile): Literal[] {
  let list = literalCache.get(f);
  if (!list) {
    const y = yamlOf(f.parsed);
    literalCache.set(f, (list = y ? literalsOf(y) : []));
  }
  return list;
}

/** Secret-named variables of every service's `environment:` set to a literal. */
function literalsOf(file: YamlFile): Literal[] {
  const found: Literal[] = [];
  for (const s of composeServices(file)) {
    const env = getPair(s.node, 'environment')?.value as Node | undefined;
    if (isMap(env)) {
      for (const p of pairs(env)) {
        const name = keyName(p) ?? '';
        const v = isScalar(p.value) ? p.value.value : undefined;
        if (isSecretName(name) && isLiteralSecretValue(v) && !isNotSecretValueFor(name, v)) found.push({ service: s.name, name, value: String(v), range: nodeRange(file, p.value as Node) });
      }
    } else if (isSeq(env)) {
      for (const item of seqItems(env)) {
        const text = stringValue(item) ?? '';
        const eq = text.indexOf('=');
        if (eq <= 0) continue;
        const name = text.slice(0, eq);
        const value = text.slice(eq + 1);
        if (isSecretName(name) && isLiteralSecretValue(value) && !isNotSecretValueFor(name, value)) found.push({ service: s.name, name, value, range: nodeRange(file, item as Node) });
      }
    }
  }
  return found;
}
