// Core value types shared by every part of the engine (parsers, index, rules, CLI, server).
// Positions are 0-based line/character, exactly as in LSP, so the server passes them through
// untouched; the CLI converts to 1-based when it prints.

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'info';

/** Every kind of workspace file, decided by `classify()`; the protocol's zod enum uses the same list. */
export const FILE_KINDS = [
  'runbook',
  'postmortem',
  'terraform',
  'terraform-vars',
  'ansible-playbook',
  'ansible-tasks',
  'ansible-vars',
  'ansible-inventory',
  'alert-rules',
  'alertmanager-config',
  'slo-spec',
  'github-workflow',
  'gitlab-ci',
  'cloud-build',
  'k8s-manifest',
  'compose',
  'opsreview-config',
  'checklist',
] as const;

/** What a workspace file is. */
export type FileKind = (typeof FILE_KINDS)[number];

/** A problem the parser met, positioned in the file. Parsers return these, they never throw. */
export interface ParseError {
  message: string;
  range: Range;
  /** `error` stops the file's rules from trusting the tree; `info` is a note (e.g. skipped template). */
  severity: Severity;
}

/** A text edit in one file; `path` defaults to the file the finding is in. */
export interface TextEdit {
  path?: string;
  range: Range;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The one fix an editor may apply on "auto fix" (LSP `isPreferred`). */
  isPreferred?: boolean;
}

/** What a rule reports: a message at an exact range, with optional fixes. */
export interface RuleFinding {
  range: Range;
  message: string;
  fixes?: Fix[];
  /** A finding milder than the rule's default (e.g. a skipped-template note); config overrides still win. */
  severity?: Severity;
  /**
   * The repository-wide conventions (of the rule's `meta.convention`) this finding says one
   * subject does not follow, e.g. `['owner']`. When no subject of the workspace follows one,
   * the linter's convention pass replaces these findings with one repository-level finding.
   */
  convention?: readonly string[];
  /** What the finding is about, when the file's outline does not say it (see fingerprint.ts). */
  subject?: string;
  /**
   * `all`: a finding whose evidence is weaker than the rule's other findings (a secret guessed
   * from a key name rather than a credential-shaped value, a convention the repository never
   * adopted): reported only under `profile: all` or when `.opsreview.yml` names the rule in
   * `rules:`. Checklist evidence still counts it (profile.ts), so an item cannot pass by it.
   */
  profile?: 'all';
}

/** A rule finding after the linter resolved severity, suppression and the file it belongs to. */
export interface Finding extends RuleFinding {
  ruleId: string;
  severity: Severity;
  /** Absolute path, `/`-separated. */
  path: string;
  /** Identity that survives edits elsewhere in the file (fingerprint.ts); set by the CLI and the server. */
  fingerprint?: string;
}

/** A finding that a comment or config file of another tool (or an OpsReview directive) suppressed. */
export interface SuppressedFinding extends Finding {
  suppressedBy: {
    /** `opsreview` for an `opsreview-disable` comment, else the other tool (`ansible-lint`, `checkov`…). */
    tool: string;
    /** The check id as the other tool spells it (`*` for all its checks). */
    id: string;
    /** The comment, annotation or config entry as written. */
    text: string;
    /** Absolute path of the file that declares it. */
    path: string;
    /** 0-based line of the declaration in that file (-1 for a config file as a whole). */
    line: number;
  };
}

/**
 * A reference from one file to another (markdown link, alert `runbook_url`, module source).
 * The index keeps these in reverse, so a change to the target re-lints the source.
 */
export interface Reference {
  /** Absolute, normalised path the reference resolves to (whether or not it exists). */
  target: string;
  /** Optional `#fragment` (heading anchor) of the link. */
  fragment?: string;
  range: Range;
  kind: 'link' | 'runbook_url' | 'module_source' | 'ansible_tasks' | 'ansible_vars' | 'ci_include';
  /** The text as written in the file. */
  raw: string;
}

export const ZERO_RANGE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export function range(sl: number, sc: number, el: number, ec: number): Range {
  return { start: { line: sl, character: sc }, end: { line: el, character: ec } };
}
