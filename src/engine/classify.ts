import picomatch from 'picomatch';
import type { OpsReviewConfig } from './config/schema';
import { alertNameKey, hasSectionOrStep, incidentResponsePhases, MarkdownHints, postmortemSections, runbookSections } from './conventions/markdownShape';
import { classifyAlertingYaml } from './alerting/classify';
import type { FileKind } from './types';
import { audienceReason, isSchemaReference, userDocReason } from './releaseDocs';

// Decides what a workspace file is from its path and, where the path is not enough, a glance at
// its text (frontmatter, `apiVersion`/`kind`, `groups:`/`hosts:`). Cheap and total: never throws.

const matcherCache = new WeakMap<readonly string[], (p: string) => boolean>();

export function globMatcher(globs: readonly string[]): (relPath: string) => boolean {
  let m = matcherCache.get(globs);
  if (!m) {
    const compiled = globs.length ? picomatch(globs as string[], { dot: true }) : () => false;
    m = (p: string) => compiled(p);
    matcherCache.set(globs, m);
  }
  return m;
}

// Tested on the frontmatter block alone (see frontmatterBlock): a lazy scan from every `---`
// line of the whole text was quadratic on files full of horizontal rules.
const RUNBOOK_FRONTMATTER = /^(type:\s*["']?(runbook|playbook|deploy|release|change|maintenance|migration|incident|alert)\b|runbook:|owner:|service:)/m;
const POSTMORTEM_FRONTMATTER = /^type:\s*["']?(postmortem|post-mortem|incident-review|pir)\b/m;

/** The text between an opening `---` on the first line and the closing fence (or 64 KB). */
function frontmatterBlock(text: string): string {
  const t = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (!/^---[ \t]*\r?\n/.test(t)) return '';
  const body = t.slice(t.indexOf('\n') + 1, 64_000);
  const close = /^(---|\.\.\.)[ \t]*\r?$/m.exec(body);
  return close ? body.slice(0, close.index) : body;
}

/**
 * Markdown and its variants: `.md`, `.markdown`, `.mdx`, and pages rendered through ERB
 * (GOV.UK tech-docs `*.html.md.erb`, `*.md.erb`), whose tags the parser blanks.
 */
export function isMarkdownName(lowerBase: string): boolean {
  return /\.(md|markdown|mdx)(\.erb)?$/.test(lowerBase);
}

/**
 * A document saved without its extension (`PM2022-009 - Bad AMI`, `incidents/2024-03-db-failover`):
 * no dot in its name, not a tool's file (Makefile, Dockerfile, LICENSE…). Discovery reads one only
 * among markdown files, and it is classified as markdown when it opens with a `# ` heading.
 */
export function isExtensionlessDocName(base: string): boolean {
  return !base.includes('.') && !EXTENSIONLESS_TOOL_FILES.test(base);
}

const EXTENSIONLESS_TOOL_FILES = /^(makefile|gnumakefile|dockerfile|containerfile|jenkinsfile|vagrantfile|gemfile|rakefile|procfile|brewfile|podfile|justfile|tiltfile|earthfile|license|licence|copying|notice|authors|contributors|maintainers|owners|codeowners|changelog|changes|history|readme|version|manifest|hosts|inventory)$/i;

/** Markdown by its first line with content: a `# ` heading (a script's `#!` or `# comment` is not). */
function opensWithHeading(text: string): boolean {
  const first = /^\s*(\S[^\n]*)/.exec(text.slice(0, 4096))?.[1] ?? '';
  return /^#{1,2} +\S/.test(first) && !/^#!/.test(first);
}

/**
 * The `#!` line of a script (`#!/usr/bin/env python3`), except an executable playbook's
 * (`#!/usr/bin/env ansible-playbook`), which is YAML all the same.
 */
export function scriptInterpreter(text: string): string | undefined {
  const first = /^\uFEFF?(#![^\r\n]*)/.exec(text.slice(0, 512))?.[1]?.trim();
  return first && !/\bansible(-playbook)?\b/.test(first) ? first : undefined;
}

/** The kinds the path alone can settle; `undefined` when the text must be read. */
export function classifyByPath(relPath: string): FileKind | 'markdown' | 'yaml' | 'hcl' | undefined {
  const p = relPath.replace(/\\/g, '/');
  const base = p.slice(p.lastIndexOf('/') + 1);
  const lower = base.toLowerCase();
  if (lower === '.opsreview.yml' || lower === '.opsreview.yaml') return 'opsreview-config';
  if (/(^|\/)\.opsreview\/checklists\/[^/]+\.ya?ml$/i.test(p)) return 'checklist';
  if (lower.endsWith('.tf')) return 'terraform';
  if (lower.endsWith('.tfvars')) return 'terraform-vars';
  if (isMarkdownName(lower)) return 'markdown';
  if (/(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/i.test(p)) return 'github-workflow';
  // `.gitlab-ci.yml`, and the files a pipeline includes named after it (`deploy.gitlab-ci.yml`, `ci/gitlab-ci.yml`).
  if (/(^|[.\-_])gitlab-ci\.ya?ml$/.test(lower)) return 'gitlab-ci';
  // Terragrunt, Packer, Nomad and other HCL: listed by `files` as not indexed, never read.
  if (lower.endsWith('.hcl')) return 'hcl';
  if (/(^|\/)(hosts|inventory)(\.ini)?$/i.test(p) && !lower.endsWith('.yml') && !lower.endsWith('.yaml')) {
    return /(^|\/)(ansible|inventor(y|ies))\//i.test(p) || /^(hosts|inventory)(\.ini)?$/i.test(base) ? 'ansible-inventory' : undefined;
  }
  if (lower.endsWith('.yml') || lower.endsWith('.yaml')) return 'yaml';
  if (isExtensionlessAnsibleVars(p, base)) return 'yaml';
  return undefined;
}

/**
 * Ansible reads `group_vars/<group>` and `host_vars/<host>` without an extension (or a folder of
 * them); host names may hold dots (`db1.example.com`), file names with a known extension do not.
 */
function isExtensionlessAnsibleVars(p: string, base: string): boolean {
  if (!/(^|\/)(group_vars|host_vars)\/([^/]+\/)?[^/]+$/.test(p) || base.startsWith('.')) return false;
  const ext = /\.([A-Za-z0-9]+)$/.exec(base)?.[1]?.toLowerCase();
  if (!ext) return true;
  return /(^|\/)host_vars\//.test(p) && !NON_VARS_EXTENSIONS.has(ext);
}

const NON_VARS_EXTENSIONS = new Set([
  'json', 'md', 'txt', 'rst', 'j2', 'jinja', 'jinja2', 'cfg', 'conf', 'ini', 'sh', 'py', 'ps1', 'bak', 'orig', 'swp', 'old',
  'tmp', 'pem', 'crt', 'key', 'pub', 'csv', 'xml', 'html', 'toml', 'tf', 'lock', 'log', 'gz', 'zip', 'tar', 'vault', 'example', 'sample',
]);

export function classify(relPath: string, text: string, config: OpsReviewConfig, hints?: MarkdownHints): FileKind | undefined {
  return classifyWithReason(relPath, text, config, hints).kind;
}

/** The kind, and in a few words why (shown by `opsreview files` and the trees' tooltips). */
export interface Classification {
  kind: FileKind | undefined;
  reason: string;
  /** Why a file is not indexed, as a short code (`no-known-kind`, `not-runbook`, …) for `opsreview files`. */
  code?: UnindexedCode;
  /** `users`: a runbook-like page written for the users of the software the repository ships (see releaseDocs.ts). */
  audience?: 'users';
}

/**
 * Why a markdown, YAML or HCL file was read (or looked at) and not indexed:
 * - `not-runbook`: markdown with no sign of a runbook or postmortem;
 * - `project-doc`: a README, CHANGELOG, CONTRIBUTING… that no alert links to and no glob names;
 * - `template-or-guide`: a runbook template or a guide to writing runbooks;
 * - `stub`: a page with no section or step;
 * - `decision-record`: an architecture decision record (ADR), read as a runbook only by its shape;
 * - `assistant-file`: instructions, prompts, agents or skills written for a coding assistant
 *   (Copilot, Claude, Cursor, Codex…): the assistant reads them, nobody follows them as a runbook;
 * - `user-doc`: a reference page generated from code, read as a runbook only by its shape;
 * - `no-known-kind`: YAML that is none of the kinds OpsReview checks;
 * - `vault-encrypted`, `role-data`, `role-meta`, `helm-values`, `empty`: YAML no rule can check;
 * - `not-terraform`: HCL that is not Terraform (Terragrunt, Packer, Nomad);
 * - `script`: a YAML or inventory name on a script (`#!/usr/bin/env python3`): a dynamic
 *   inventory named `hosts`, or a link to one; Ansible runs it, nobody reads it as YAML.
 */
export type UnindexedCode =
  | 'not-runbook'
  | 'project-doc'
  | 'template-or-guide'
  | 'opsreview-file'
  | 'stub'
  | 'decision-record'
  | 'assistant-file'
  | 'user-doc'
  | 'no-known-kind'
  | 'vault-encrypted'
  | 'role-data'
  | 'role-meta'
  | 'helm-values'
  | 'grafana-provisioning'
  | 'empty'
  | 'not-terraform'
  | 'script';

export function classifyWithReason(relPath: string, text: string, config: OpsReviewConfig, hints?: MarkdownHints): Classification {
  const p = relPath.replace(/\\/g, '/');
  const byPath = classifyByPath(p);
  if (byPath === 'markdown') return classifyMarkdown(p, text, config, hints);
  if (byPath === 'yaml' || byPath === 'ansible-inventory') {
    const script = scriptInterpreter(text);
    if (script) {
      const reason = byPath === 'ansible-inventory' ? `a dynamic inventory script (\`${script}\`) that Ansible runs, not an INI or YAML inventory; not read` : `a script (\`${script}\`), not YAML; not read`;
      return { kind: undefined, code: 'script', reason };
    }
  }
  if (byPath === 'yaml') {
    const kind = classifyYaml(p, text);
    return kind ? { kind, reason: YAML_REASONS[kind] ?? 'YAML content' } : { kind, ...unknownYamlReason(p, text) };
  }
  if (!byPath && isExtensionlessDocName(p.slice(p.lastIndexOf('/') + 1)) && opensWithHeading(text)) {
    const md = classifyMarkdown(p, text, config, hints);
    if (md.kind) return { ...md, reason: `${md.reason} (markdown without an extension)` };
  }
  if (byPath === 'hcl') return { kind: undefined, code: 'not-terraform', reason: 'HCL that is not Terraform (.hcl: Terragrunt, Packer, Nomad…); not checked' };
  return byPath ? { kind: byPath, reason: PATH_REASONS[byPath] ?? 'file name' } : { kind: undefined, code: 'no-known-kind', reason: 'not a kind of file OpsReview checks' };
}

const PATH_REASONS: Partial<Record<FileKind, string>> = {
  'opsreview-config': 'file name .opsreview.yml',
  terraform: 'extension .tf',
  'terraform-vars': 'extension .tfvars',
  'github-workflow': 'under .github/workflows/',
  'gitlab-ci': 'file name .gitlab-ci.yml (or *.gitlab-ci.yml)',
  'ansible-inventory': 'INI inventory (hosts/inventory file)',
  checklist: 'under .opsreview/checklists/',
};

// Said by kind, not by the branch taken in classifyYaml, so that function stays the one place
// the YAML decision is made.
const YAML_REASONS: Partial<Record<FileKind, string>> = {
  'alert-rules': 'content: `groups:` with `alert:`/`record:` rules, a PrometheusRule, or Grafana-managed alert rules',
  'k8s-manifest': 'content: `apiVersion:` and `kind:`',
  'ansible-vars': 'path: group_vars/host_vars or a role\'s vars/defaults',
  'ansible-tasks': 'path/content: a role\'s tasks/handlers, or a task list under playbooks/ or ansible/',
  'ansible-playbook': 'content: a list of plays (`hosts:`/`import_playbook:`)',
  'ansible-inventory': 'path/content: a YAML inventory',
  'alertmanager-config': 'path/content: alertmanager.yml, `route:` with `receivers:`, or an AlertmanagerConfig',
  'slo-spec': 'content: a Sloth, OpenSLO or Pyrra SLO specification',
  'github-workflow': 'content: a GitHub Actions workflow (`on:` and `jobs:` with `runs-on:`/`steps:`) outside .github/workflows/',
  'gitlab-ci': 'content: GitLab CI jobs (`script:` with `stage:`/`extends:`), or included by a pipeline (`include: local`)',
  'cloud-build': 'content: a Google Cloud Build config (`steps:` of `name:` builder images)',
  compose: 'name/content: a Docker Compose file (`services:` with `image:`/`build:`)',
};

/**
 * Why a YAML file is not indexed, as a reason code and a few words: `opsreview files` lists every
 * YAML file, so nothing is silently absent.
 */
const GRAFANA_PROVISIONING = /^apiVersion:[ \t]*["']?1["']?[ \t]*$/m;

function unknownYamlReason(p: string, text: string): { code: UnindexedCode; reason: string } {
  if (GRAFANA_PROVISIONING.test(text) && /^(contactPoints|policies|templates|muteTimes|datasources|providers|deleteDatasources):/m.test(text)) {
    return { code: 'grafana-provisioning', reason: 'Grafana provisioning (contact points, notification policies, data sources, dashboards): no rule checks it yet' };
  }
  if (/^\$ANSIBLE_VAULT;/.test(text)) return { code: 'vault-encrypted', reason: 'an ansible-vault encrypted file; not readable before decryption' };
  if (/(^|\/)roles\/(?:[^/]+\/)+?(files|templates)\//.test(p)) return { code: 'role-data', reason: 'a file an Ansible role copies or renders (files/, templates/), not tasks or vars' };
  if (/(^|\/)roles\/(?:[^/]+\/)+?meta\//.test(p)) return { code: 'role-meta', reason: "an Ansible role's meta/ (dependencies, Galaxy info): no rule checks it" };
  if (/(^|\/)(charts?|helm)\/|(^|\/)(values[^/]*|Chart)\.ya?ml$/.test(p)) return { code: 'helm-values', reason: 'Helm chart values or chart metadata: no rule checks it' };
  if (text.length < 4096 && text.split(/\r?\n/).every((l) => /^\s*(#|---|\.\.\.|$)/.test(l))) return { code: 'empty', reason: 'an empty YAML file (or only comments)' };
  return { code: 'no-known-kind', reason: 'YAML that is none of the kinds OpsReview checks' };
}

function classifyMarkdown(p: string, text: string, config: OpsReviewConfig, hints?: MarkdownHints): Classification {
  const base = p.slice(p.lastIndexOf('/') + 1).toLowerCase();
  const assistant = assistantFile(p, base, text);
  if (assistant) return { kind: undefined, code: 'assistant-file', reason: `${assistant}, written for a coding assistant to read, not a runbook` };
  // A folder's README, CHANGELOG or CONTRIBUTING explains the folder; it is not a runbook.
  if (/^(readme([-_][\w.-]*)?|changelog|contributing|license|code_of_conduct|security|governance|maintainers|owners)\.(md|markdown|mdx)$/.test(base)) {
    // A README an alert links to, or that a runbook glob names (`docs/*/README.md`, not a
    // catch-all `runbooks/**/*.md`), is that service's runbook.
    const glob = /^readme/.test(base) ? config.runbooks.globs.find((g) => /readme/i.test(g) && singleGlob(g)(p)) : undefined;
    const linked = /^readme/.test(base) ? hints?.linked.get(p) : undefined;
    const why = glob ? `matches runbooks.globs \`${glob}\`` : linked ? `linked from ${linked}` : undefined;
    if (why && hasSectionOrStep(text)) return { kind: 'runbook', reason: why };
    return { kind: undefined, code: 'project-doc', reason: 'contributor or project doc (README, CONTRIBUTING, CHANGELOG…) that no alert links to and no runbook glob names' };
  }
  // A team's runbook templates and saved run transcripts are OpsReview's own files, not runbooks.
  if (/(^|\/)\.opsreview\/(templates|runs)\//.test(p)) return { kind: undefined, code: 'opsreview-file', reason: 'an OpsReview runbook template or run transcript (.opsreview/), not a runbook' };
  if (isSchemaReference(p, text)) return { kind: undefined, code: 'user-doc', reason: 'a reference page generated from a JSON schema (a file format), not a runbook' };
  if (isTemplateOrGuide(base)) return { kind: undefined, code: 'template-or-guide', reason: 'a template or a guide to writing runbooks or postmortems (by its name), not a runbook' };
  if (POSTMORTEM_FRONTMATTER.test(frontmatterBlock(text))) return { kind: 'postmortem', reason: 'frontmatter `type: postmortem`' };
  const postmortemGlob = matchingGlob(config.runbooks.postmortemGlobs, p);
  if (postmortemGlob) return { kind: 'postmortem', reason: `matches runbooks.postmortemGlobs \`${postmortemGlob}\`` };
  const runbook = runbookEvidence(p, text, config, hints);
  // Only the section shape gives way to a postmortem's shape (an incident review has Impact and
  // Resolution too); a glob, frontmatter or an alert's link says runbook outright.
  if (hints?.shape && (!runbook || runbook.startsWith('runbook-shaped'))) {
    const pm = postmortemSections(text);
    if (pm.length >= 2) return { kind: 'postmortem', reason: `postmortem-shaped: sections ${pm.join(', ')}` };
  }
  if (!runbook) return { kind: undefined, code: 'not-runbook', reason: 'markdown with no runbook glob, runbook frontmatter, alert link, alert name or runbook sections' };
  // An architecture decision record can read like a procedure ("Migration strategy for …") but
  // records a choice; only a glob, frontmatter or an alert's link makes one a runbook.
  if (/^(runbook-shaped|titled as|an alert playbook)/.test(runbook) && isDecisionRecord(p, text)) {
    return { kind: undefined, code: 'decision-record', reason: 'an architecture decision record (ADR folder or Context / Decision sections), not a runbook' };
  }
  const weak = /^(runbook-shaped|titled as|an alert playbook)/.test(runbook);
  const userDoc = weak ? userDocReason(p, text) : undefined;
  if (userDoc) return { kind: undefined, code: 'user-doc', reason: userDoc };
  // Issue 7: a section stub (Hugo `_index.md` with only frontmatter) or a page of prose has no
  // step to follow; a runbook has at least one section or step.
  if (!hasSectionOrStep(text)) return { kind: undefined, code: 'stub', reason: `${runbook}, but no section or step (a stub, not a runbook)` };
  // Only its shape or title says runbook: course material is not one, and in a repository that
  // ships software the page is that software's user documentation.
  // A title that calls the page a runbook or playbook, or sections named after alerts, say it is
  // written for whoever runs the alerts: that stays a runbook in any repository.
  const declared = /^an alert playbook/.test(runbook) || (/^titled as/.test(runbook) && RUNBOOK_TITLE_WORD.test(runbook));
  const audience = weak && !declared ? audienceReason(p, hints?.product) : undefined;
  if (audience && !audience.indexed) return { kind: undefined, code: 'user-doc', reason: `${runbook}, but ${audience.reason}` };
  if (audience) return { kind: 'runbook', reason: `${runbook}; ${audience.reason}`, audience: 'users' };
  return { kind: 'runbook', reason: runbook };
}

/**
 * Files written for coding assistants, by their conventional names and places: repository
 * instructions (`AGENTS.md`, `CLAUDE.md`, `GEMINI.md`, `.github/copilot-instructions.md`,
 * `*.instructions.md`), custom agents, prompts and chat modes (`*.agent.md`, `*.prompt.md`,
 * `*.chatmode.md`, `.github/agents|prompts/`, `.claude/agents|commands/`), rule folders
 * (`.cursor/rules/`, `.windsurf/rules/`, `.clinerules/`, `.kiro/steering/`), and agent skills
 * (`SKILL.md` under a skills folder, or anywhere with the skill frontmatter `name:` and
 * `description:`). What it is, in a few words, or undefined.
 */
export function assistantFile(p: string, base: string, text: string): string | undefined {
  if (/^(agents|claude|gemini|copilot-instructions)\.(md|markdown|mdx)$/.test(base)) return `repository instructions for coding agents (${p.slice(p.lastIndexOf('/') + 1)})`;
  const suffix = /\.(agent|prompt|instructions|chatmode)\.md$/.exec(base)?.[1];
  if (suffix) return `a coding-assistant ${suffix === 'instructions' ? 'instructions file' : suffix === 'chatmode' ? 'chat mode' : suffix} file (*.${suffix}.md)`;
  if (/(^|\/)\.github\/(agents|prompts|instructions|chatmodes)\//.test(p)) return `a coding-assistant file under .github/${/\.github\/(\w+)\//.exec(p)![1]}/`;
  if (/(^|\/)\.(claude|codex|gemini|opencode)\/(agents|commands|skills|rules)\//.test(p)) return 'a coding-assistant agent, command or skill (.claude/, .codex/…)';
  if (/(^|\/)(\.cursor\/rules|\.windsurf\/rules|\.clinerules|\.kiro\/steering|\.continue\/rules|\.roo\/rules)(\/|$)/.test(p)) return 'a coding-assistant rules file (.cursor/rules/, .windsurf/rules/, .clinerules/, .kiro/steering/…)';
  if (base === 'skill.md') {
    const fm = frontmatterBlock(text);
    if (/(^|\/)(\.github\/)?skills\//.test(p) || (/^name:[ \t]*\S/m.test(fm) && /^description:[ \t]*\S/m.test(fm))) return 'an agent skill (SKILL.md)';
  }
  return undefined;
}

// Names made only of these words, with at least one marker, are docs about writing runbooks
// (`add-runbook.md`, `runbook-template.md`, `example.md`), not runbooks.
const GUIDE_WORDS = new Set(['runbook', 'runbooks', 'playbook', 'playbooks', 'postmortem', 'postmortems', 'post', 'mortem', 'mortems', 'effective', 'good', 'better', 'a', 'an', 'to', 'the', 'new', 'for', 'how', 'on', 'template', 'templates', 'example', 'examples', 'sample', 'skeleton', 'add', 'adding', 'write', 'writing', 'guide', 'guidelines', 'style', 'format', 'contributing', 'authoring']);
const GUIDE_MARKERS = new Set(['template', 'templates', 'example', 'examples', 'sample', 'skeleton', 'add', 'adding', 'write', 'writing', 'guide', 'guidelines', 'style', 'format', 'contributing', 'authoring', 'how', 'effective', 'good', 'better']);

// A template of an operations document, whatever else its name says (`postmortem-template-azure.md`,
// `runbook_template_db.md`): a template word beside a document word.
const TEMPLATE_WORDS = new Set(['template', 'templates', 'skeleton', 'boilerplate']);
const DOCUMENT_WORDS = new Set(['runbook', 'runbooks', 'playbook', 'playbooks', 'postmortem', 'postmortems', 'mortem', 'mortems', 'incident', 'rca', 'pir']);

function isTemplateOrGuide(base: string): boolean {
  const words = base
    .replace(/(\.html)?\.(md|markdown|mdx)(\.erb)?$/, '')
    .replace(/^_+/, '')
    .split(/[-_. ]+/)
    .filter(Boolean);
  if (words.some((w) => TEMPLATE_WORDS.has(w)) && words.some((w) => DOCUMENT_WORDS.has(w))) return true;
  return words.length > 0 && words.every((w) => GUIDE_WORDS.has(w)) && words.some((w) => GUIDE_MARKERS.has(w));
}

const ADR_FOLDER = /(^|\/)(adrs?|decisions|decision[-_]records|architecture[-_]decisions?)\//i;

/** An ADR: kept in an ADR folder, or shaped as one (Context and Decision sections, with Status or Consequences). */
function isDecisionRecord(p: string, text: string): boolean {
  if (ADR_FOLDER.test(p)) return true;
  const has = (h: string) => new RegExp(`^#{1,3}[ \\t]+${h}\\b`, 'im').test(text);
  return has('context') && has('decision') && (has('status') || has('consequences'));
}

function runbookEvidence(p: string, text: string, config: OpsReviewConfig, hints?: MarkdownHints): string | undefined {
  const glob = matchingGlob(config.runbooks.globs, p);
  if (glob) return `matches runbooks.globs \`${glob}\``;
  const fm = RUNBOOK_FRONTMATTER.exec(frontmatterBlock(text));
  if (fm) return `runbook frontmatter \`${fm[1].trim()}\``;
  if (!hints) return undefined;
  const linked = hints.linked.get(p);
  if (linked) return `linked from ${linked}`;
  const named = hints.alertNames.get(alertNameKey(p.slice(p.lastIndexOf('/') + 1).replace(/(\.html)?\.(md|markdown|mdx)(\.erb)?$/i, '')));
  if (named) return `named after ${named}`;
  // A design document, plan or decision record describes a change to the software, not an
  // operation to follow: its shape or title does not make it a runbook (a glob, frontmatter or
  // an alert's link still does).
  if (hints.shape && !DESIGN_DOCS.test(p)) {
    const sections = runbookSections(text, hints.sections);
    if (sections.length >= 2) return `runbook-shaped: sections ${sections.join(', ')}`;
    // An incident-response playbook (a security team's) is organised by the response's phases.
    const phases = incidentResponsePhases(text);
    if (phases.length) return `runbook-shaped: incident-response phases ${phases.join(', ')}`;
    const titled = procedureTitle(text);
    if (titled) return `titled as an operations procedure: "${titled}"`;
    const alertSections = alertNameSections(text);
    if (alertSections.length >= 3) return `an alert playbook: sections ${alertSections.slice(0, 3).join(', ')}${alertSections.length > 3 ? ', …' : ''}`;
  }
  return undefined;
}

/** A title that names the page a runbook, playbook or standard operating procedure. */
const RUNBOOK_TITLE_WORD = /(?<![\p{L}\p{N}])(run-?books?|playbooks?|sops?|standard operating procedures?)(?![\p{L}\p{N}])/iu;

/** Folders of plans, specifications, RFCs and proposals (decision records and design folders: isDecisionRecord). */
const DESIGN_DOCS = /(^|\/)(plans|specs|rfcs?|proposals|enhancements|keps)\//i;

/** Words of a page title that name an operations procedure (`MariaDB Restore Runbook`, `Troubleshooting X`, `Data Recovery`). */
const PROCEDURE_TITLE = /(?<![\p{L}\p{N}])(run-?books?|playbooks?|sop|standard operating procedure|troubleshooting|troubleshoot|restor(e|ing)|recover(y|ing)?|disaster recovery|failover|fail over|rollback|roll back|upgrad(e|ing)|migrat(e|ing|ion)|rotat(e|ing|ion)|backups?|backing up|incident response|on-?call|decommission(ing)?)(?![\p{L}\p{N}])/iu;

/**
 * The page's title (frontmatter `title:`, else its first level-1 heading) when it names an
 * operations procedure and the page has steps to follow (a code block or a numbered list);
 * an index of runbooks (plural, no steps of its own) needs three sections or more.
 */
function procedureTitle(text: string): string | undefined {
  const fm = /^title:[ \t]*["']?(.+?)["']?[ \t]*$/m.exec(frontmatterBlock(text))?.[1];
  const h1 = /^ {0,3}#[ \t]+(.+?)[ \t]*#*[ \t]*$/m.exec(text)?.[1];
  const title = fm ?? (h1 && !/^<%/.test(h1) ? h1 : undefined);
  if (!title || title.length > 120) return undefined;
  const m = PROCEDURE_TITLE.exec(title);
  if (!m) return undefined;
  if (/^(run-?books|playbooks)$/i.test(m[1]) && (text.match(/^ {0,3}#{2,6}[ \t]+\S/gm) ?? []).length < 3) return undefined;
  const steps = /^ {0,3}(`{3,}|~{3,})/m.test(text) || /^ {0,3}\d+[.)][ \t]+\S/m.test(text);
  return steps ? title.trim() : undefined;
}

/**
 * Headings that are alert names (`CortexIngesterUnhealthy`, `KubePodCrashLooping`): a page of
 * alert playbooks keyed by alert. A catalogue that lists the rules themselves under such
 * headings (`- alert: …` in code blocks) documents alerts, it does not say what to do.
 */
function alertNameSections(text: string): string[] {
  const out: string[] = [];
  if (/^[ \t]*-?[ \t]*alert:[ \t]*\S/m.test(text)) return out;
  for (const m of text.matchAll(/^ {0,3}#{2,6}[ \t]+`?([A-Z][a-z0-9]+(?:[A-Z][a-z0-9]+){2,}(?:[A-Z]+[a-z0-9]*)*)`?[ \t]*$/gm)) if (!out.includes(m[1])) out.push(m[1]);
  return out;
}

function matchingGlob(globs: readonly string[], p: string): string | undefined {
  // A markdown variant (`restore.html.md.erb` of a tech-docs site, `.mdx`, `.markdown`) matches
  // the globs written for `.md`, so `**/runbooks/**/*.md` finds a documentation site's runbooks.
  // Runbook and postmortem globs ignore case: `Playbooks/`, `Runbooks/` and `RUNBOOK.md` are the
  // same folders and names to whoever reads them (and to the file systems of macOS and Windows).
  const md = p.replace(/(\.html)?\.(md|markdown|mdx)(\.erb)?$/i, '.md');
  const q = noCaseMatcher(globs)(p) ? p : md !== p && noCaseMatcher(globs)(md) ? md : undefined;
  if (!q) return undefined;
  return globs.find((g) => singleGlob(g, true)(q)) ?? globs[0];
}

const noCaseCache = new WeakMap<readonly string[], (p: string) => boolean>();
function noCaseMatcher(globs: readonly string[]): (p: string) => boolean {
  let m = noCaseCache.get(globs);
  if (!m) noCaseCache.set(globs, (m = globs.length ? picomatch(globs as string[], { dot: true, nocase: true }) : () => false));
  return m;
}

const singleGlobs = new Map<string, (p: string) => boolean>();
function singleGlob(glob: string, nocase = false): (p: string) => boolean {
  const key = nocase ? `i:${glob}` : glob;
  let m = singleGlobs.get(key);
  if (!m) singleGlobs.set(key, (m = picomatch(glob, { dot: true, nocase })));
  return m;
}

const ANSIBLE_DIRS = /(^|\/)(group_vars|host_vars)\//;
/**
 * A file of an Ansible role at any depth: `roles/<role>/tasks/main.yml`, a grouped role
 * (`roles/<group>/<role>/handlers/main.yml`), a collection's `roles/`, and files in sub-folders
 * of `tasks/` or `vars/`. Group 2 is the role's path under `roles/`, group 3 the part.
 */
export const ROLE_PART = /(^|\/)roles\/((?:[^/]+\/)*?[^/]+)\/(tasks|handlers|vars|defaults|meta)\/(?:[^/]+\/)*[^/]+\.ya?ml$/;
/** Folders of a role that hold data it copies or renders, never tasks or vars. */
const ROLE_DATA = /(^|\/)(files|templates)(\/|$)/;

/** GitHub Actions workflow text: top-level `on:` and `jobs:`, a job with `runs-on:` or `steps:` (or a reusable workflow's `uses:`). */
function looksLikeGithubWorkflow(head: string): boolean {
  return /^(on|"on"|'on'|true):/m.test(head) && /^jobs:\s*(#.*)?$/m.test(head) && /^[ \t]+(runs-on|steps|uses):/m.test(head);
}

/** GitLab CI job text: a job's `script:` and its `stage:`/`extends:` (or a top-level `stages:`), no Kubernetes header. */
export function looksLikeGitlabCi(head: string): boolean {
  if (/^(apiVersion|kind|hosts|jobs|steps|pipelines|services):/m.test(head)) return false;
  return /^[ \t]+(script|before_script|trigger):/m.test(head) && (/^stages:/m.test(head) || /^[ \t]+(stage|extends):/m.test(head));
}

/**
 * Google Cloud Build: top-level `steps:` whose items name a builder image (`name:
 * gcr.io/cloud-builders/gcloud`, `node:20`) and run it (`args:`, `entrypoint:`, `script:`).
 * Drone and Woodpecker steps have `image:`/`commands:` instead; GitHub steps `run:`/`uses:`.
 */
function looksLikeCloudBuild(head: string): boolean {
  if (!/^steps:\s*(#.*)?$/m.test(head) || /^(jobs|apiVersion|kind|pipeline|stages):/m.test(head)) return false;
  if (/^[ \t]+(-[ \t]+)?(image|commands|run|uses):/m.test(head)) return false;
  return /^[ \t]*(-[ \t]+)?name:[ \t]*["']?([\w.-]+\/[\w.@:${}\/-]+|[\w.-]+:[\w.-]+|ubuntu|bash|alpine|busybox|python|node|golang)["']?[ \t]*$/m.test(head) && /^[ \t]+(-[ \t]+)?(args|entrypoint|script):/m.test(head);
}

/** A file named as Docker Compose (`compose.extras.yaml`, `docker-compose.override.yml`) that holds no other kind. */
function isComposeName(p: string, head: string): boolean {
  const base = p.slice(p.lastIndexOf('/') + 1).toLowerCase();
  return /^(docker-)?compose([.-][^/]*)?\.ya?ml$/.test(base) && !/^(apiVersion|kind|stages|jobs|steps|groups|hosts):/m.test(head);
}

/** Docker Compose: top-level `services:` whose services have `image:` or `build:`. */
function looksLikeCompose(p: string, head: string): boolean {
  if (!/^services:\s*(#.*)?$/m.test(head) || /^(apiVersion|kind|stages|jobs|steps):/m.test(head)) return false;
  const base = p.slice(p.lastIndexOf('/') + 1).toLowerCase();
  const named = /^(docker-)?compose([.-][^/]*)?\.ya?ml$/.test(base);
  return /^[ \t]{2,}(image|build):/m.test(head) && (named || /^[ \t]+[\w.-]+:\s*(#.*)?\r?\n[ \t]+(image|build|container_name|ports|environment|volumes|command|depends_on):/m.test(head));
}

/** An Ansible task list: a YAML list whose items carry a module (`ansible.builtin.copy:`, `apt:`), no play keys. */
function looksLikeTaskList(head: string): boolean {
  if (!/^-[ \t]+\S/m.test(head) || isPlaybookText(head)) return false;
  // ansible-galaxy's skeleton comment, or named items whose next key opens a module's arguments.
  if (/^#[ \t]*(tasks|handlers) file for\b/m.test(head)) return true;
  if (/^-[ \t]+name:[^\n]*\n[ \t]{2}[\w.]+:[ \t]*(#.*)?$/m.test(head)) return true;
  return /^[ \t]*-?[ \t]*(ansible\.(builtin|legacy|posix|windows)\.\w+|community\.\w+\.\w+|(include|import)_(tasks|role)|block|apt|yum|dnf|package|service|systemd|template|copy|file|command|shell|lineinfile|debug|set_fact|user|group|git|get_url|unarchive|pip|uri|mount|sysctl|when|become|notify|register):/m.test(head) && /^-[ \t]+(name|[\w.]+):/m.test(head);
}

function classifyYaml(p: string, text: string): FileKind | undefined {
  const head = text.length > 64_000 ? text.slice(0, 64_000) : text;
  // An ansible-vault encrypted vars file is not YAML until decrypted.
  if (/^\$ANSIBLE_VAULT;/.test(head)) return undefined;
  // Kubernetes first: PrometheusRule is an alert file that happens to be a manifest.
  if (/^kind:\s*["']?PrometheusRule\b/m.test(head)) return 'alert-rules';
  if (/^groups:\s*$/m.test(head) && /^\s*-?\s*(alert|record):/m.test(head)) return 'alert-rules';
  // Grafana-managed alert rules (file provisioning): `apiVersion: 1`, `groups[].rules[]` with `title:` and `condition:`/`data:`.
  if (GRAFANA_PROVISIONING.test(head) && /^groups:\s*$/m.test(head) && /^\s*-?\s*title:/m.test(head) && /^\s*(condition|data):/m.test(head)) return 'alert-rules';
  const alerting = classifyAlertingYaml(p, head);
  if (alerting) return alerting;
  if (/^apiVersion:\s*\S+/m.test(head) && /^kind:\s*\S+/m.test(head)) return 'k8s-manifest';
  if (ANSIBLE_DIRS.test(p)) return 'ansible-vars';
  const role = ROLE_PART.exec(p);
  if (role && !ROLE_DATA.test(role[2])) {
    const part = role[3];
    if (part === 'tasks' || part === 'handlers') return 'ansible-tasks';
    if (part === 'vars' || part === 'defaults') return 'ansible-vars';
    return undefined;
  }
  if (looksLikeGithubWorkflow(head)) return 'github-workflow';
  if (looksLikeGitlabCi(head)) return 'gitlab-ci';
  if (looksLikeCloudBuild(head)) return 'cloud-build';
  if (looksLikeCompose(p, head) || isComposeName(p, head)) return 'compose';
  // A playbook is a list of plays: items with `hosts:` or `import_playbook:`, the list at any indentation.
  if (isPlaybookText(head)) return 'ansible-playbook';
  if (/(^|\/)(inventory|inventories)\//.test(p) && /^\s*(all|children|hosts):/m.test(head)) return 'ansible-inventory';
  if (/(^|\/)(playbooks|ansible)\/[^/]*\.ya?ml$/.test(p) && /^-\s+name:/m.test(head) && /^\s+(ansible\.builtin\.)?\w+:\s*$/m.test(head)) {
    return 'ansible-tasks';
  }
  // A standalone role (a role repository's own `tasks/`, `handlers/`) or a task folder beside playbooks.
  if (/(^|\/)(tasks|handlers)\/(?:[^/]+\/)*[^/]+\.ya?ml$/.test(p) && !ROLE_DATA.test(p) && looksLikeTaskList(head)) return 'ansible-tasks';
  return undefined;
}

const PLAY_KEY = '(hosts|import_playbook|ansible\\.builtin\\.import_playbook)';

/** The document is a list (its first content line is an item, `- ` or `  - `) and one of its items has `hosts:`/`import_playbook:`. */
function isPlaybookText(head: string): boolean {
  const first = /^(?!\s*(#|---|\.\.\.|%)|\s*$)(\s*)-(\s|$)/m.exec(head);
  if (!first) return false;
  // Nothing but blank lines, comments and document markers before the list.
  if (/^(?!\s*(#|---|%)|\s*$)/m.exec(head)!.index !== first.index) return false;
  const indent = first[2];
  // A play key of an item of that list: `- hosts:` or `  hosts:` two columns right of the dash.
  return new RegExp(`^${indent}(-\\s|\\s\\s)${PLAY_KEY}:`, 'm').test(head);
}
