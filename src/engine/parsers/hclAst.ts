import type { LineIndex } from '../text';
import type { ParseError, Range } from '../types';

// The Terraform parser (parsers/terraform.ts) turns tree-sitter's concrete syntax tree into
// these plain positioned nodes and frees the tree at once: the index keeps thousands of files,
// and WASM trees are neither cheap to hold nor safe to share across async boundaries.

export type HclExpr =
  /** A quoted string without interpolation, or a heredoc without interpolation. */
  | { type: 'string'; value: string; heredoc?: boolean; range: Range; raw: string }
  /** A quoted string or heredoc with `${…}`/`%{…}`: `value` is the literal text with the interpolations kept as written. */
  | { type: 'template'; value: string; heredoc?: boolean; range: Range; raw: string }
  | { type: 'number'; value: number; range: Range; raw: string }
  | { type: 'bool'; value: boolean; range: Range; raw: string }
  | { type: 'null'; range: Range; raw: string }
  | { type: 'object'; items: HclObjectItem[]; range: Range; raw: string }
  | { type: 'tuple'; items: HclExpr[]; range: Range; raw: string }
  /** `var.x`, `local.tags`, `data.aws_iam_policy_document.p.json`, `aws_s3_bucket.b.id`, `each.value`… */
  | { type: 'reference'; path: string; range: Range; raw: string }
  | { type: 'call'; name: string; args: HclExpr[]; range: Range; raw: string }
  /** Anything else (conditionals, operators, for-expressions, splats): kept as raw text. */
  | { type: 'other'; range: Range; raw: string };

export interface HclObjectItem {
  /** Key as a string when it is an identifier or a literal string; the raw text otherwise. */
  key: string;
  keyRange: Range;
  value: HclExpr;
  range: Range;
}

export interface HclAttribute {
  name: string;
  nameRange: Range;
  value: HclExpr;
  /** Whole `name = value`. */
  range: Range;
}

export interface HclBlock {
  /** `resource`, `module`, `provider`, `lifecycle`, `ingress`, … */
  type: string;
  labels: string[];
  typeRange: Range;
  labelRanges: Range[];
  /** From the block type to the closing brace. */
  range: Range;
  /** Position just after `{` and of `}`, to insert attributes. */
  openBrace: Range;
  closeBrace: Range;
  attributes: HclAttribute[];
  blocks: HclBlock[];
}

export interface HclBody {
  attributes: HclAttribute[];
  blocks: HclBlock[];
}

export interface TerraformFile {
  type: 'terraform';
  text: string;
  lines: LineIndex;
  body: HclBody;
  /** Line comments (`#`, `//`) and block comments, for suppression directives. */
  comments: { text: string; line: number; range: Range }[];
  errors: ParseError[];
}
