// Placeholders left in a runbook (TODO, TBD, `xxx`, `<service-name>`): the runbook/placeholder
// rule reports them, rollback-empty discounts them, and runnable blocks ask for their values.

/** HTML element names markdown allows inline; `<br>` or `<details>` are markup, not placeholders. */
export const HTML_TAGS = new Set(
  (
    'a abbr address area article aside audio b bdi bdo big blockquote body br button caption center cite code col colgroup dd del details dfn dialog div dl dt em embed ' +
    'fieldset figcaption figure font footer form h1 h2 h3 h4 h5 h6 head header hr html i iframe img input ins kbd label legend li link main map mark meta meter nav ' +
    'noscript object ol optgroup option output p param picture pre progress q rp rt ruby s samp script section select small source span strike strong style sub summary ' +
    'sup table tbody td template textarea tfoot th thead time title tr track tt u ul var video wbr ' +
    // Obsolete or less common elements that READMEs still use.
    'nobr acronym blink marquee dir menu data base canvas svg math slot search hgroup listing xmp frame frameset noframes'
  ).split(' '),
);

export interface Placeholder {
  text: string;
  /** Offset in the file text. */
  start: number;
  end: number;
}

const WORD_PLACEHOLDER = /(?<![\p{L}\p{N}_])(?:TODO|TBD|TBA|FIXME|[xX]{3,})(?![\p{L}\p{N}_])/gu;

// Template leftovers of dates and times, as postmortem timelines keep them: `HH:mm`, `XX:XX`,
// `??:??`, `14:??`, `YYYY-MM-DD`, `20xx-MM-DD`, `2022-05-??` (a date and its time are one
// placeholder), and `??` standing alone ("Duration: ??"). A date or time with no template part
// (`2022-05-25 14:10`) is not one.
const TPL = String.raw`(?:[Xx]{2}|\?{2})`;
const YEAR = String.raw`(?:YYYY|yyyy|\d{2}${TPL}|\d{4}(?:\/\d{2})?)`;
const MONTH = String.raw`(?:MM|mm|${TPL}|\d{1,2})`;
const DAY = String.raw`(?:DD|dd|${TPL}|\d{1,2})`;
const HOUR = String.raw`(?:HH|hh|${TPL}|\d{1,2})`;
const MINUTE = String.raw`(?:MM|mm|${TPL}|\d{2})`;
const DATE = String.raw`${YEAR}[-/.]${MONTH}[-/.]${DAY}`;
const TIME = String.raw`${HOUR}:${MINUTE}(?::(?:SS|ss|${TPL}|\d{2}))?`;
export const TEMPLATE_PLACEHOLDER = new RegExp(String.raw`(?<![\w:/.?-])(?:${DATE}(?:[ T]${TIME})?|${TIME}|\?{2,})(?![\w:/?-]|\.\w)`, 'g');
/** A template part: the match holds one (a filled-in date or time is no placeholder). */
const TEMPLATE_PART = /YYYY|yyyy|MM|mm|DD|dd|HH|hh|SS|ss|[Xx]{2}|\?{2}/;
/** Text before a template value that says it describes a format (`timestamps as YYYY-MM-DD`). */
const FORMAT_CONTEXT = /\b(format|formatted|pattern|notation|e\.g\.|i\.e\.|such as|as in|like|in the form)\b[^\n]{0,40}$/i;

/** Fenced code blocks and inline code spans, as offset ranges. */
function codeRanges(text: string): [number, number][] {
  return [...text.matchAll(/^[ \t]*(```|~~~)[\s\S]*?^[ \t]*\1|`[^`\n]+`/gm)].map((m) => [m.index!, m.index! + m[0].length]);
}
// `<service-name>`, `<pod name>`, `<YYYY-MM-DD>`, `<how to verify the rollback>`: text in angle
// brackets that is not an HTML tag (`<br>`, `<details open>`, `<img src=…>`), not an autolink
// (`<https://…>`, `<ops@example.com>`), not a generic (`List<String>`) or a heredoc (`<<EOF`).
export const ANGLE_PLACEHOLDER = /(?<![\w<])<([A-Za-z](?:[^<>\n]*[^<>\s])?)>/g;

export function isAnglePlaceholder(content: string): boolean {
  if (/[@="']/.test(content)) return false;
  if (/^[a-z][a-z0-9+.-]*:\S/i.test(content)) return false;
  const first = content.split(/[\s/]/)[0].toLowerCase();
  return !HTML_TAGS.has(first);
}

/** Placeholders in `text`, outside the given skipped spans (offsets). */
export function findPlaceholders(text: string, skip: [number, number][]): Placeholder[] {
  const out: Placeholder[] = [];
  const skipped = (s: number, e: number): boolean => skip.some(([a, b]) => s < b && e > a);
  let code: [number, number][] | undefined;
  for (const re of [WORD_PLACEHOLDER, ANGLE_PLACEHOLDER, TEMPLATE_PLACEHOLDER]) {
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text))) {
      const start = m.index;
      const end = start + m[0].length;
      if (re === ANGLE_PLACEHOLDER && !isAnglePlaceholder(m[1])) continue;
      if (skipped(start, end)) continue;
      if (re === TEMPLATE_PLACEHOLDER) {
        if (!TEMPLATE_PART.test(m[0])) continue;
        // `??? note "Title"` / `???+ aside`: a MkDocs (pymdownx.details) collapsible admonition
        // marker at the start of a line, markup like `!!! warning`, not an unknown value.
        if (/^\?{3}$/.test(m[0]) && /^[ \t]*$/.test(text.slice(text.lastIndexOf('\n', start - 1) + 1, start)) && /^\+?[ \t]*[A-Za-z]/.test(text.slice(end, end + 40))) continue;
        // `yyyy-MM-dd HH:mm` in code is a format string, `a ?? b` an operator; a sentence that
        // describes a format names one.
        code ??= codeRanges(text);
        if (code.some(([a, b]) => start >= a && end <= b)) continue;
        if (FORMAT_CONTEXT.test(text.slice(text.lastIndexOf('\n', start - 1) + 1, start))) continue;
        // Inside an angle placeholder (`<YYYY-MM-DD>`), that one is reported.
        if (out.some((p) => p.start <= start && p.end >= end)) continue;
      }
      // `2022-06-02 HH:mm`: the date is written, only the time is a placeholder.
      const pieces = re === TEMPLATE_PLACEHOLDER ? /^(\S+[ T])(\S+)$/.exec(m[0]) : null;
      if (pieces && !TEMPLATE_PART.test(pieces[1])) {
        out.push({ text: pieces[2], start: start + pieces[1].length, end });
        continue;
      }
      out.push({ text: m[0], start, end });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** True when `s` says nothing once placeholders and punctuation are taken out. */
export function onlyPlaceholders(s: string): boolean {
  const rest = s
    .replace(/(?<![\p{L}\p{N}_])(?:TODO|TBD|TBA|FIXME|[xX]{3,})(?![\p{L}\p{N}_])/gu, '')
    .replace(TEMPLATE_PLACEHOLDER, (m) => (TEMPLATE_PART.test(m) ? '' : m))
    .replace(ANGLE_PLACEHOLDER, (m, inner: string) => (isAnglePlaceholder(inner) ? '' : m))
    .replace(/[^\p{L}\p{N}]+/gu, '');
  return rest.length === 0;
}
