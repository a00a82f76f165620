import type { OpsReviewConfig } from '../../config/schema';
import type { MarkdownFile } from '../../parsers/markdown';
import type { RuleFinding } from '../../types';
import type { Rule } from '../types';
import { mdOf } from './postmortemUtil';

// A postmortem that blames a person teaches people to hide mistakes, and stops the analysis at
// the person instead of the system that let the mistake through. "Human error" is where the
// investigation should start: which check, guard-rail or signal was missing?

interface BlamePhrase {
  re: RegExp;
  instead: string;
}

const GENERIC_ADVICE = 'describe what the system allowed, not who made the mistake';

type PostmortemConfig = OpsReviewConfig['postmortems'];
const compiled = new WeakMap<PostmortemConfig, { phrases: BlamePhrase[]; negated: RegExp | undefined }>();

/** Whole words only, in any script: `\b` knows only ASCII letters. */
function wholeWords(pattern: string): string {
  return `(?<![\\p{L}\\p{N}_])(?:${pattern})(?![\\p{L}\\p{N}_])`;
}

/**
 * The configured phrases (`postmortems.blamePhrases`, English by default) and negations: a
 * negation just before the phrase ("not human error", "no one was at fault") is blameless.
 */
function blameConfig(config: PostmortemConfig): { phrases: BlamePhrase[]; negated: RegExp | undefined } {
  let c = compiled.get(config);
  if (!c) {
    const phrases = config.blamePhrases.map((p) => (typeof p === 'string' ? { phrase: p, instead: GENERIC_ADVICE } : { phrase: p.phrase, instead: p.instead ?? GENERIC_ADVICE })).map((p) => ({ re: new RegExp(wholeWords(p.phrase), 'giu'), instead: p.instead }));
    const words = config.blameNegations.map((w) => w.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+')).filter(Boolean);
    const negated = words.length ? new RegExp(`${wholeWords(words.join('|'))}[^.;:]{0,24}$`, 'iu') : undefined;
    compiled.set(config, (c = { phrases, negated }));
  }
  return c;
}

export const rule: Rule<MarkdownFile> = {
  meta: {
    id: 'postmortem/blame-language',
    description: 'A postmortem blames people ("human error", "should have known", "careless"; `postmortems.blamePhrases`) instead of describing what the system allowed.',
    defaultSeverity: 'info',
    practice: 'blameless-postmortem',
    kinds: ['postmortem'],
  },
  check(ctx) {
    const md = mdOf(ctx.parsed);
    if (!md) return [];
    const skipped = new Set<number>();
    for (const b of md.codeBlocks) for (let n = b.line; n <= b.endLine; n++) skipped.add(n);
    if (md.frontmatter) for (let n = 0; n <= md.frontmatter.closeLine; n++) skipped.add(n);
    const { phrases, negated } = blameConfig(ctx.config.postmortems);
    const out: RuleFinding[] = [];
    for (let n = 0; n < md.lines.lineCount; n++) {
      if (skipped.has(n)) continue;
      // Inline code and HTML comments are quotes and notes, not the review's own words.
      const line = md.lines.line(n).replace(/`[^`]*`|<!--.*?-->/g, (m) => ' '.repeat(m.length));
      for (const p of phrases) {
        p.re.lastIndex = 0;
        let m: RegExpExecArray | null;
        while ((m = p.re.exec(line))) {
          if (m[0].length === 0) {
            p.re.lastIndex++;
            continue;
          }
          if (negated?.test(line.slice(0, m.index))) continue;
          out.push({
            range: { start: { line: n, character: m.index }, end: { line: n, character: m.index + m[0].length } },
            message: `"${m[0]}" blames a person: ${p.instead}. A blameless review asks why the system made the mistake possible, not who made it.`,
          });
        }
      }
    }
    return out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  },
};
