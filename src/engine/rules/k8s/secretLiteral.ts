import { isMap, Node } from 'yaml';
import { getNode, getPair, keyName, nodeRange, pairs, seqItems, stringValue, YamlFile, YNode } from '../../parsers/yaml';
import type { RuleFinding } from '../../types';
import type { Rule } from '../types';
import { yamlOf } from './workloads';
import { throwAwaySample } from '../../nonProduction';
import { secretEvidence } from '../secretNames';
import { CONFIG_FILE, isCredentialEntry } from './secretEntries';

// A Secret manifest in git holds its values in the clear: base64 is an encoding, not
// encryption. Everyone with read access to the repository (and every clone, fork and CI cache)
// has the production password. Encrypted forms are fine: a SealedSecret, an ExternalSecret, a
// SOPS-encrypted file (a `sops:` block, `ENC[…]` values); so are templated values filled in at
// deploy time. Examples, tests and fixtures (the config's `nonProduction`) hold fake secrets by
// design: there only a value shaped like a real credential (a private key, a provider token) counts.
// A Secret also carries configuration that holds no credential (a proxy's authorization rules, an
// Alertmanager routing tree, a Grafana setting): only credential-shaped entries count
// (secretEntries.ts), and a configuration file only when it holds a credential field.

export const rule: Rule<YamlFile> = {
  meta: {
    id: 'k8s/secret-literal',
    description: 'A Secret manifest holds literal `data`/`stringData` values in the repository instead of a SealedSecret, ExternalSecret or SOPS-encrypted file.',
    defaultSeverity: 'error',
    practice: 'secrets-management',
    kinds: ['k8s-manifest'],
    credentialsOnlyOffProduction: true,
  },
  check(ctx) {
    const file = yamlOf(ctx.parsed);
    if (!file) return [];
    const out: RuleFinding[] = [];
    const visit = (obj: YNode, sops: boolean): void => {
      if (!isMap(obj)) return;
      const kind = stringValue(getNode(obj, 'kind'));
      if (kind === 'List') {
        for (const item of seqItems(getNode(obj, 'items'))) visit(item, sops);
        return;
      }
      if (kind !== 'Secret' || sops || getPair(obj, 'sops')) return;
      const name = stringValue(getNode(getNode(obj, 'metadata'), 'name')) ?? '(unnamed)';
      for (const field of ['data', 'stringData']) {
        const pair = getPair(obj, field);
        // A key pair: some entry is a certificate (`tls.crt`).
        const withCertificate = pairs(pair?.value as YNode).some((p) => /-----BEGIN CERTIFICATE-----/.test(field === 'data' ? decoded(stringValue(p.value as Node) ?? '') : stringValue(p.value as Node) ?? ''));
        const literal = pairs(pair?.value as YNode).filter((p) => {
          const v = stringValue(p.value as Node);
          return isLiteral(v) && !throwAwaySample(ctx.file, ctx.config, ctx.index, field === 'data' ? decoded(v!) : v!, keyName(p) ?? '', { withCertificate });
        });
        // Reported when one of them is a credential (then all its literal values are named).
        const credential = literal.some((p) => {
          const v = stringValue(p.value as Node)!;
          return isCredentialEntry(keyName(p) ?? '', field === 'data' ? decoded(v) : v);
        });
        if (!pair || !credential) continue;
        const keys = literal.map((p) => keyName(p) ?? '?');
        // Whole configuration files (alertmanager.yaml, grafana.ini) that hold a credential field:
        // a milder finding, the credential is one field of the file, for a reviewer to move out.
        const configFiles = keys.every((k) => CONFIG_FILE.test(k));
        // Reported under every profile when some value is credential-shaped or random (secretEvidence).
        const strong = literal.some((p) => {
          const v = stringValue(p.value as Node)!;
          return !secretEvidence(field === 'data' ? decoded(v) : v).profile;
        });
        out.push({
          range: nodeRange(file, pair.key as Node),
          severity: configFiles ? 'info' : undefined,
          ...(strong ? {} : { profile: 'all' as const }),
          message: `Secret '${name}' holds ${keys.length > 1 ? `${keys.length} literal values` : 'a literal value'} in \`${field}\` (${keys.slice(0, 4).map((k) => `\`${k}\``).join(', ')}${keys.length > 4 ? ', …' : ''}): base64 is not encryption, and everyone who can read the repository can read ${keys.length > 1 ? 'them' : 'it'}. Use a SealedSecret, an ExternalSecret or SOPS, and rotate the value${keys.length > 1 ? 's' : ''}.`,
        });
      }
    };
    for (const doc of file.docs) visit(doc.contents as YNode, isMap(doc.contents) && !!getPair(doc.contents, 'sops'));
    return out;
  },
};

/** A `data` value as the pod sees it (base64-decoded when it decodes to text). */
function decoded(v: string): string {
  const s = v.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(s)) return s;
  const text = Buffer.from(s, 'base64').toString('utf8');
  return /^[\x09\x0a\x0d\x20-\x7e]*$/.test(text) ? text : s;
}

/** A value written in the file: not empty, not SOPS-encrypted, not filled in by a template or substitution. */
function isLiteral(v: string | undefined): boolean {
  if (v === undefined) return false;
  const s = v.trim();
  return s !== '' && !s.startsWith('ENC[') && !/\{\{|\$\{|\$\(/.test(s);
}
