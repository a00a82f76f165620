import type { SloFile } from '../../parsers/slo';
import type { RuleFinding } from '../../types';
import type { Rule } from '../types';
import { FORMAT_NAMES, sloOf } from './sloUtil';

// The objective is the SLO. A percentage outside (0, 100) or a ratio outside (0, 1) is a typo
// (`0.999` written where Sloth and Pyrra want `99.9`, or `99.9` where OpenSLO's `target` wants
// `0.999`); an objective of exactly 100% leaves no error budget, so every single failure is an
// SLO breach and burn-rate alerts divide by zero.
export const rule: Rule<SloFile> = {
  meta: {
    id: 'slo/objective-invalid',
    description: 'An SLO objective is outside (0, 100) percent or its target outside (0, 1), or is 100%, which leaves no error budget.',
    defaultSeverity: 'error',
    practice: 'slo-error-budget',
    kinds: ['slo-spec'],
    fixable: true,
  },
  check(ctx) {
    const file = sloOf(ctx.parsed);
    if (!file) return [];
    const out: RuleFinding[] = [];
    for (const slo of file.slos) {
      for (const o of slo.objectives) {
        const what = `${FORMAT_NAMES[slo.format]} SLO '${slo.name}'`;
        const max = o.unit === 'percent' ? 100 : 1;
        if (o.value === max) {
          out.push({ range: o.range, message: `${what} has an objective of 100%: that leaves no error budget, so every failed request breaches the SLO. Choose a target users actually need, e.g. ${o.unit === 'percent' ? '99.9' : '0.999'}.` });
        } else if (o.value <= 0 || o.value > max) {
          // A ratio written as a percentage, or the reverse, has an obvious fix.
          const swapped = o.unit === 'ratio' && o.value > 1 && o.value < 100 ? o.value / 100 : undefined;
          out.push({
            range: o.range,
            message: `${what} has ${o.unit === 'percent' ? 'an objective' : 'a target'} of ${o.value}, outside (0, ${max})${o.unit === 'percent' ? ' percent' : ''}${swapped !== undefined ? `: OpenSLO's \`target\` is a ratio, so ${o.value}% is ${swapped}` : ''}.`,
            fixes: swapped !== undefined ? [{ title: `Set the target to ${swapped}`, isPreferred: true, edits: [{ range: o.range, newText: String(+swapped.toFixed(8)) }] }] : undefined,
          });
        } else if (o.unit === 'percent' && o.value < 1 && o.value > 0) {
          // 0.999 percent: almost certainly a ratio in a percent field.
          const pct = +(o.value * 100).toFixed(8);
          out.push({
            range: o.range,
            message: `${what} has an objective of ${o.value}%, which allows ${(100 - o.value).toFixed(3)}% of requests to fail: ${FORMAT_NAMES[slo.format]} objectives are percentages, so ${o.value} was probably meant as ${pct}%.`,
            fixes: [{ title: `Set the objective to ${pct}`, isPreferred: true, edits: [{ range: o.range, newText: String(pct) }] }],
          });
        }
      }
    }
    return out;
  },
};
