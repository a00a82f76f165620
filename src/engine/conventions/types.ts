// What the convention detectors found, with the evidence for it: `opsreview init` writes the
// evidence as comments, the CLI and the language server summarise it.

export interface Evidence {
  /** How many of the things looked at (alerts, runbooks, tag maps) follow the convention. */
  support: number;
  /** How many were looked at. */
  total: number;
  /** A few workspace-relative files that show it. */
  examples: string[];
  /** One line a reader can check, e.g. "954 of 954 alerts use critical, warning, info". */
  note: string;
}

export interface Detected<T> extends Evidence {
  value: T;
}

export interface SeverityConvention {
  /** Name of the vocabulary, e.g. `critical/warning/info`, `S1–S4`. */
  vocabulary: string;
  /** The allowed values, highest first, as the repository writes them. */
  allowed: string[];
  /**
   * Values that page a human: from an Alertmanager routing config when a caller passes one
   * (`DetectOptions.pagingSeverities`), else the vocabulary's highest level.
   */
  paging: string[];
  pagingSource: 'routing' | 'highest level';
}

export interface RunbookLocation {
  /** Top folder (`docs/`, `alerts/`, `.` for the root). */
  dir: string;
  count: number;
}

export interface RunbookRecognition {
  /** Runbooks recognised by each signal (a runbook counts under the first that applies). */
  byGlob: number;
  byFrontmatter: number;
  linkedFromAlert: number;
  namedAfterAlert: number;
  runbookShaped: number;
  total: number;
  /** Where they live, most first. */
  folders: RunbookLocation[];
  examples: string[];
  /** False when `runbooks.globs` is configured: then only globs and frontmatter decide. */
  detectionOn: boolean;
}

export interface Conventions {
  severities?: Detected<SeverityConvention>;
  runbookAnnotations?: Detected<string[]>;
  runbookBaseUrl?: Detected<string>;
  /** Bare runbook paths (`docs/db/README.md`) read from the repository root. */
  runbookPathsFrom?: Detected<'root'>;
  requiredFrontmatter?: Detected<string[]>;
  terraformTags?: Detected<string[]>;
  runbooks: RunbookRecognition;
  /** Config options set from detection (those the config file does not set and that differ from the defaults). */
  applied: string[];
}
