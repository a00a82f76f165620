import type { HclBlock, HclBody, HclExpr, TerraformFile } from '../parsers/hclAst';
import type { Detected } from './types';

// The tag keys the repository's Terraform already writes: object literals given to `tags` /
// `labels` (resources, module calls, provider `default_tags`), `merge(...)` arguments, and locals
// named `*tags`/`*labels`. Provider default_tags and locals merge into resources, so a key used
// in some maps may well reach every resource. What is learnt is the spelling of the configured
// keys; the keys in use are evidence for `opsreview init`. `Name` identifies one resource.

const MIN_MAPS = 3;
const PER_RESOURCE = new Set(['name']);

export interface TagMapSample {
  keys: string[];
  file: string;
}

/** Tag maps written as literals in one Terraform file. */
export function tagMaps(file: TerraformFile, relPath: string): TagMapSample[] {
  const out: TagMapSample[] = [];
  const addObject = (e: HclExpr | undefined): void => {
    if (!e) return;
    if (e.type === 'object') out.push({ keys: e.items.map((i) => i.key.replace(/^"|"$/g, '')), file: relPath });
    else if (e.type === 'call' && e.name === 'merge') for (const a of e.args) addObject(a);
  };
  const visit = (body: HclBody, inLocals: boolean): void => {
    for (const a of body.attributes) {
      if (a.name === 'tags' || a.name === 'labels' || (inLocals && /(tags|labels)$/i.test(a.name))) addObject(a.value);
    }
    for (const b of body.blocks as HclBlock[]) visit(b, b.type === 'locals');
  };
  visit(file.body, false);
  return out;
}

/**
 * The configured keys in the repository's own spelling: `Environment` where the tag maps write
 * `Environment` and never `environment` (tags are case-sensitive, so the default spelling would
 * report every resource). Keys the repository never writes stay as configured: default_tags,
 * locals and module variables may supply them where no literal shows it, and a missing owner
 * tag is the finding the rule exists for. Undefined with fewer than 3 maps.
 */
export function detectTerraformTags(samples: TagMapSample[], wanted: readonly string[]): Detected<string[]> | undefined {
  if (samples.length < MIN_MAPS) return undefined;
  const counts = new Map<string, number>();
  for (const s of samples) for (const k of new Set(s.keys)) if (!PER_RESOURCE.has(k.toLowerCase())) counts.set(k, (counts.get(k) ?? 0) + 1);
  const value = wanted.map((w) => (counts.has(w) ? w : [...counts].filter(([k]) => k.toLowerCase() === w.toLowerCase()).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? w));
  const used = value.filter((k) => counts.has(k));
  const common = [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 6)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  return {
    value,
    support: used.length ? Math.min(...used.map((k) => counts.get(k)!)) : 0,
    total: samples.length,
    examples: [...new Set(samples.filter((s) => used.some((k) => s.keys.includes(k))).map((s) => s.file))].slice(0, 3),
    note: `${samples.length} tag maps written in the Terraform files; the keys they use most: ${common || 'none but Name'}${used.length < value.length ? `; never written as a literal: ${value.filter((k) => !counts.has(k)).join(', ')}` : ''}`,
  };
}
