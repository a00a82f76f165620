// Placeholders left in a runbook (TODO, TBD, `xxx`, `<service-name>`): the runbook/placeholder
// rule reports them, rollback-empty discounts them, and runnable blocks ask for their values.

/** HTML element names markdown allows inline; `<br>` or `<details>` are markup, not placeholders. */
export const HTML_TAGS = new Set(
  (
    'a abbr address area article aside audio b bdi bdo big blockquote body br button caption center cite code col colgroup dd del details dfn dialog div dl dt em embed ' +
    'fieldset figcaption figure font footer form h1 h2 h3 h4 h5 h6 head header hr html i iframe img input ins kbd label legend li link main map mark meta meter nav ' +
    'noscript object ol optgroup option output p param picture pre progress q rp rt ruby s samp script section select small source span strike strong style sub summary ' +
    'sup table tbody td template textarea tfoot th thead time title tr track tt u ul var video wbr'
  ).split(' '),
);

export interface Placeholder {
  text: string;
  /** Offset in the file text. */
  start: number;
  end: number;
}

const WORD_PLACEHOLDER = /(?<![\p{L}\p{N}_])(?:TODO|TBD|FIXME|[xX]{3,})(?![\p{L}\p{N}_])/gu;
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
  for (const re of [WORD_PLACEHOLDER, ANGLE_PLACEHOLDER]) {
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text))) {
      const start = m.index;
      const end = start + m[0].length;
      if (re === ANGLE_PLACEHOLDER && !isAnglePlaceholder(m[1])) continue;
      if (skipped(start, end)) continue;
      out.push({ text: m[0], start, end });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** True when `s` says nothing once placeholders and punctuation are taken out. */
export function onlyPlaceholders(s: string): boolean {
  const rest = s
    .replace(/(?<![\p{L}\p{N}_])(?:TODO|TBD|FIXME|[xX]{3,})(?![\p{L}\p{N}_])/gu, '')
    .replace(ANGLE_PLACEHOLDER, (m, inner: string) => (isAnglePlaceholder(inner) ? '' : m))
    .replace(/[^\p{L}\p{N}]+/gu, '');
  return rest.length === 0;
}
