import type { TerraformFile } from './parsers/hclAst';
import type { MarkdownFile } from './parsers/markdown';
import type { YamlFile } from './parsers/yaml';
import type { LineIndex } from './text';
import type { FileKind, ParseError, Range, Reference } from './types';

/** A file the engine reads but does not parse into a tree (e.g. an INI inventory). */
export interface TextFile {
  type: 'text';
  text: string;
  lines: LineIndex;
  comments: { text: string; line: number; range: Range }[];
  errors: ParseError[];
}

export type ParsedFile = MarkdownFile | YamlFile | TerraformFile | TextFile;

/** A named, positioned thing in a file: a heading, an alert, a resource, a play, a job. */
export interface FileSymbol {
  name: string;
  /** What it is, in the file's own terms: `section`, `alert`, `resource`, `module`, `play`, `job`, `Deployment`… */
  detail: string;
  kind: 'section' | 'alert' | 'resource' | 'data' | 'module' | 'variable' | 'output' | 'provider' | 'play' | 'task' | 'job' | 'object' | 'group';
  range: Range;
  selectionRange: Range;
  children?: FileSymbol[];
}

/** What the Runbooks tree and the checklist need to know about a runbook without re-parsing it. */
export interface RunbookMeta {
  title: string;
  service?: string;
  owner?: string;
  team?: string;
  tags: string[];
  severity?: string;
  type?: string;
  lastReviewed?: string;
  sections: { title: string; level: number; line: number; slug: string }[];
}

export interface AlertMeta {
  name: string;
  line: number;
  range: Range;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Workspace file the runbook link (`alerts.runbookAnnotations`) maps to, when it maps to one. */
  runbookPath?: string;
}

export interface IndexedFile {
  /** Absolute path, `/`-separated (also on Windows). */
  path: string;
  /** Path relative to the workspace root, `/`-separated. */
  relPath: string;
  kind: FileKind;
  /** Why it is that kind, in a few words (`matches runbooks.globs …`, `linked from alert …`). */
  reason?: string;
  /**
   * `users`: a procedure written for the users of the software the repository ships (its upgrade
   * guide, its troubleshooting FAQ), not for the repository's own operators: indexed, but the
   * production-only rules skip it (see releaseDocs.ts).
   */
  audience?: 'users';
  /** Bumped on every re-parse; clients use it to drop stale answers. */
  version: number;
  size: number;
  /** A short hash of the text, so an unchanged save does not re-lint. */
  hash: string;
  parsed: ParsedFile;
  errors: ParseError[];
  references: Reference[];
  symbols: FileSymbol[];
  runbook?: RunbookMeta;
  alerts?: AlertMeta[];
}

/** The read-only face of the workspace index that rules see. */
export interface IndexView {
  readonly root: string;
  get(path: string): IndexedFile | undefined;
  /** True for any file or folder in the workspace, indexed or not (links may point at scripts, images…). */
  exists(path: string): boolean;
  /** The text of a markdown file, indexed or read and left out (undefined when not kept). */
  markdownText?(path: string): string | undefined;
  byKind(...kinds: FileKind[]): IndexedFile[];
  /** Files holding a reference whose target is `path`. */
  referrers(path: string): IndexedFile[];
  /** Indexed files directly in folder `dir` (absolute), sorted by path. */
  inDir(dir: string): IndexedFile[];
  /** All indexed files. */
  files(): Iterable<IndexedFile>;
  /** A number that changes whenever the index does, for caches derived from it (optional). */
  readonly generation?: number;
}
