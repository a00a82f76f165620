import { Document, isMap, Pair, parseDocument, YAMLMap } from 'yaml';
import type { Conventions, Evidence } from './types';

// The detected conventions as `.opsreview.yml` text, each option with its evidence as a
// comment: for `opsreview init` (a new file) and for "Keep as configuration" in the editor
// (merged into an existing file: its options and comments stay, only options it does not set
// are added).

export interface ConfigOption {
  /** `alerts.allowedSeverities` */
  key: string;
  value: unknown;
  /** Comment lines above the option (evidence, what it means). */
  comment: string[];
}

/** The options detection found, with their evidence; only the ones `explicitKeys` does not set. */
export function detectedOptions(c: Conventions, explicitKeys: ReadonlySet<string> = new Set()): ConfigOption[] {
  const out: ConfigOption[] = [];
  const add = (key: string, value: unknown, e: Evidence, extra: string[] = []): void => {
    if (!explicitKeys.has(key)) out.push({ key, value, comment: [e.note, ...extra, ...(e.examples.length ? [`e.g. ${e.examples.join(', ')}`] : [])] });
  };
  if (c.severities) {
    const s = c.severities.value;
    add('alerts.allowedSeverities', s.allowed, c.severities, [`paging severities (${s.pagingSource}): ${s.paging.join(', ')}`]);
    add('alertmanager.criticalSeverities', s.paging, c.severities, [`severities that must reach a pager (${s.pagingSource})`]);
  }
  if (c.runbookAnnotations) add('alerts.runbookAnnotations', c.runbookAnnotations.value, c.runbookAnnotations);
  if (c.runbookBaseUrl) add('alerts.runbookBaseUrl', c.runbookBaseUrl.value, c.runbookBaseUrl);
  if (c.runbookPathsFrom) add('alerts.runbookPathsFrom', c.runbookPathsFrom.value, c.runbookPathsFrom);
  if (c.requiredFrontmatter) {
    add('runbooks.requiredFrontmatter', c.requiredFrontmatter.value, c.requiredFrontmatter, ['only keys most runbooks already carry are required; add others to require them']);
  }
  if (c.terraformTags) add('terraform.requiredTags', c.terraformTags.value, c.terraformTags);
  return out;
}

/** Comment lines on where the runbooks are and how they were recognised (nothing to set: detection keeps doing it). */
export function runbookLocationComment(c: Conventions): string[] {
  const r = c.runbooks;
  if (!r.total) return ['No runbook found (by glob, frontmatter, alert link, alert name or sections).'];
  const how = [
    r.byGlob && `${r.byGlob} by runbooks.globs`,
    r.byFrontmatter && `${r.byFrontmatter} by frontmatter`,
    r.linkedFromAlert && `${r.linkedFromAlert} linked from alerts`,
    r.namedAfterAlert && `${r.namedAfterAlert} named after alerts`,
    r.runbookShaped && `${r.runbookShaped} by their sections (Meaning, Impact, Diagnosis, Mitigation…)`,
  ].filter(Boolean);
  const lines = [
    `${r.total} runbooks: ${how.join(', ')}.`,
    `Where: ${r.folders
      .slice(0, 5)
      .map((f) => `${f.dir === '.' ? '(root)' : f.dir} ${f.count}`)
      .join(', ')}.`,
  ];
  if (r.examples.length) lines.push(`e.g. ${r.examples.join(', ')}`);
  if (r.detectionOn) lines.push('While runbooks.globs is not set, runbooks are recognised by alert links, alert names and sections as well; setting it turns that off.');
  return lines;
}

/** The option section's map, created when absent; undefined when the key holds something else (`alerts: ~`). */
function section(doc: Document, name: string): YAMLMap | undefined {
  const root = doc.contents as YAMLMap;
  const found: unknown = root.get(name, true);
  if (isMap(found)) return found as YAMLMap;
  if (root.has(name)) return undefined;
  {
    const node = new YAMLMap();
    const pair = doc.createPair(name, node) as Pair;
    (pair.key as { spaceBefore?: boolean }).spaceBefore = root.items.length > 0;
    root.items.push(pair as Pair<unknown, unknown>);
    return node;
  }
}

function addOption(doc: Document, o: ConfigOption): boolean {
  const [sec, key] = o.key.split('.');
  const map = section(doc, sec);
  if (!map || map.has(key)) return false;
  // Comments cannot sit inside a flow map (`alerts: {}`): the section becomes a block map.
  map.flow = false;
  const pair = doc.createPair(key, doc.createNode(o.value, { flow: true })) as Pair;
  (pair.key as { commentBefore?: string }).commentBefore = o.comment.map((l) => ` ${l}`).join('\n');
  map.items.push(pair as Pair<unknown, unknown>);
  return true;
}

/** A fresh, commented `.opsreview.yml` holding the detected options. */
export function renderConfig(c: Conventions, date: string): string {
  const doc = new Document(new YAMLMap());
  const options = detectedOptions(c);
  for (const o of options) addOption(doc, o);
  const header = [
    ` OpsReview configuration, written by \`opsreview init\` on ${date} from this repository's files.`,
    ' Each option below was detected; the comment above it is the evidence. Options not listed keep',
    ' their defaults (see opsreview.schema.json); explicit options always win over detection.',
    '',
    ...runbookLocationComment(c).map((l) => ` ${l}`),
  ];
  if (!options.length) header.push('', ' Nothing differs from the defaults that could be detected with confidence.');
  doc.commentBefore = header.join('\n');
  const body = options.length ? doc.toString({ flowCollectionPadding: false }) : '';
  return options.length ? body : `${header.map((l) => `#${l}`).join('\n')}\n{}\n`;
}

/**
 * `existing` with the detected options it does not set added (with their evidence as comments).
 * Its own options, values and comments are kept as they are. Undefined when `existing` is not
 * a YAML mapping (then nothing is written).
 */
export function mergeIntoConfig(existing: string, c: Conventions, explicitKeys: ReadonlySet<string>): { text: string; added: string[] } | undefined {
  const doc = parseDocument(existing);
  if (doc.errors.length) return undefined;
  if (doc.contents == null) doc.contents = new YAMLMap() as never;
  if (!isMap(doc.contents)) return undefined;
  const options = detectedOptions(c, explicitKeys).filter((o) => !doc.hasIn(o.key.split('.')) && addOption(doc, o));
  return { text: options.length ? doc.toString({ flowCollectionPadding: false }) : existing, added: options.map((o) => o.key) };
}
