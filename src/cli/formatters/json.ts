import { FormatInput, toCliFinding } from './types';

/** One JSON array, one object per finding (stable keys; see README "CLI"). */
export function formatJson(input: FormatInput): string {
  return JSON.stringify(input.findings.map((f) => toCliFinding(input.root, f)), null, 2) + '\n';
}
