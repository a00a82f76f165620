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

const PHRASES: BlamePhrase[] = [
  { re: /\b(human|operator|user|pilot|engineer) error\b/gi, instead: 'describe what the system allowed: which check, guard-rail or confirmation step was missing' },
  { re: /\bshould(?: have|'ve| of) (?:known|noticed|caught|checked|seen|realised|realized|been more careful|double-checked|tested)\b/gi, instead: 'say what would have made it visible: which signal, test or review step was missing' },
  { re: /\bcareless(?:ly|ness)?\b/gi, instead: 'describe the conditions: time pressure, missing tooling, an unclear procedure' },
  { re: /\bnegligen(?:t|ce|tly)\b/gi, instead: 'describe the gap in the process that made the step easy to miss' },
  // "The disk was at fault" blames a component, which is fine: only fault pinned on someone.
  { re: /\b(?:fault of|(?:his|her|their|my|your) fault)\b/gi, instead: 'describe the contributing factors in the system and the process' },
  // "lazy" alone is a technical word (lazy loading): only as a judgement of someone.
  { re: /\b(?:sloppy|incompetent|reckless)\b|\b(?:was|were|being)\s+lazy\b/gi, instead: 'describe the circumstances and what the system did not prevent' },
  { re: /\bfailed to follow\b/gi, instead: 'say what made the step hard to follow or easy to skip' },
];

/** A negation just before the phrase ("not human error", "no one was at fault") is blameless. */
const NEGATED = /\b(not|no|never|isn't|wasn't|aren't|without|nobody|no one|rather than|instead of)\b[^.;:]{0,24}$/i;

export const rule: Rule<MarkdownFile> = {
  meta: {
    id: 'postmortem/blame-language',
    description: 'A postmortem blames people ("human error", "should have known", "careless") instead of describing what the system allowed.',
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
    const out: RuleFinding[] = [];
    for (let n = 0; n < md.lines.lineCount; n++) {
      if (skipped.has(n)) continue;
      // Inline code and HTML comments are quotes and notes, not the review's own words.
      const line = md.lines.line(n).replace(/`[^`]*`|<!--.*?-->/g, (m) => ' '.repeat(m.length));
      for (const p of PHRASES) {
        p.re.lastIndex = 0;
        let m: RegExpExecArray | null;
        while ((m = p.re.exec(line))) {
          if (NEGATED.test(line.slice(0, m.index))) continue;
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
