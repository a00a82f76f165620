import type { ParsedFile } from '../../model';
import type { SloFile, SloFormat } from '../../parsers/slo';

// Shared by the SLO rule pack: the parsed SLOs of a file and how each format names things.

export function sloOf(parsed: ParsedFile): SloFile | undefined {
  const f = parsed as SloFile;
  return f.type === 'yaml' && !f.skippedTemplate && Array.isArray(f.slos) ? f : undefined;
}

export const FORMAT_NAMES: Record<SloFormat, string> = {
  sloth: 'Sloth',
  'sloth-crd': 'Sloth PrometheusServiceLevel',
  openslo: 'OpenSLO',
  pyrra: 'Pyrra',
};
