// Just enough PromQL to answer one question: is every series an expression reads already
// averaged over a window of some minimum length? `sum(rate(errors_total[5m])) / sum(rate(
// requests_total[5m])) > 0.05` is: a single bad scrape moves it by a fifth of its window, no
// more. `errors_total > 0`, `irate(x[5m])` (the last two samples) or `rate(x[1m])` are not.
//
// A small recursive-descent parser over a tokenizer that knows strings, comments, durations,
// label matchers, ranges and subqueries (`[5m]`, `[1h:1m]`, `[30m:]`), grouping clauses
// (`by (le)`, `on () group_left (x)`), `offset` and `@`. Anything it cannot read gives
// `undefined`, and the caller treats the expression as not averaged.

/** Functions whose value is computed over the whole range they are given. */
const WINDOW_FUNCTIONS = new Set([
  'rate', 'increase', 'deriv', 'predict_linear', 'holt_winters', 'double_exponential_smoothing',
  'avg_over_time', 'min_over_time', 'max_over_time', 'sum_over_time', 'count_over_time', 'quantile_over_time',
  'stddev_over_time', 'stdvar_over_time', 'mad_over_time', 'absent_over_time', 'present_over_time',
]);
// Not windowed although they take a range: `irate`/`idelta` use the last two samples,
// `last_over_time` the last one; `delta`, `changes`, `resets` compare the ends of the range or
// count events (an event check is judged on its own, see isEventCheck).

const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'offset', 'and', 'or', 'unless', 'atan2']);
const GROUPING = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);

type Tok =
  | { t: 'id'; v: string }
  | { t: 'num'; v: string }
  | { t: 'str' }
  | { t: 'dur'; ms: number }
  | { t: 'op'; v: string }
  | { t: 'punct'; v: string };

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 };

/** `5m`, `1h30m`, `500ms`, `300` (seconds): milliseconds, or undefined. */
export function parseDuration(text: string): number | undefined {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t) * 1000;
  if (!/^(\d+(ms|s|m|h|d|w|y))+$/.test(t)) return undefined;
  let ms = 0;
  for (const m of t.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)) ms += Number(m[1]) * UNIT_MS[m[2]];
  return ms;
}

function tokenize(src: string): Tok[] | undefined {
  const out: Tok[] = [];
  let i = 0;
  let inRange = false;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) { i++; continue; }
    if (c === '#') { while (i < src.length && src[i] !== '\n') i++; continue; }
    if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      while (j < src.length && src[j] !== c) j += src[j] === '\\' && c !== '`' ? 2 : 1;
      if (j >= src.length) return undefined;
      out.push({ t: 'str' });
      i = j + 1;
      continue;
    }
    if (inRange) {
      // Inside `[…]`: durations, `:` and the closing bracket only.
      const m = /^(\d+(?:ms|s|m|h|d|w|y))+|^\d+/.exec(src.slice(i));
      if (m) { out.push({ t: 'dur', ms: parseDuration(m[0])! }); i += m[0].length; continue; }
      if (c === ':' || c === ']') { out.push({ t: 'punct', v: c }); if (c === ']') inRange = false; i++; continue; }
      return undefined;
    }
    const id = /^[A-Za-z_:][\w:]*/.exec(src.slice(i));
    if (id) { out.push({ t: 'id', v: id[0] }); i += id[0].length; continue; }
    const num = /^(0x[0-9a-f]+|\d*\.?\d+(e[+-]?\d+)?|inf|nan)/i.exec(src.slice(i));
    if (num && num[0]) {
      // `offset 5m` / `@ 1609746000`: a duration after a number is a duration.
      const dur = /^(\d+(ms|s|m|h|d|w|y))+/.exec(src.slice(i));
      if (dur) { out.push({ t: 'dur', ms: parseDuration(dur[0])! }); i += dur[0].length; continue; }
      out.push({ t: 'num', v: num[0] });
      i += num[0].length;
      continue;
    }
    const op = /^(==|!=|>=|<=|=~|!~|[-+*/%^<>=])/.exec(src.slice(i));
    if (op) { out.push({ t: 'op', v: op[0] }); i += op[0].length; continue; }
    if ('(){},@'.includes(c)) { out.push({ t: 'punct', v: c }); i++; continue; }
    if (c === '[') { out.push({ t: 'punct', v: c }); inRange = true; i++; continue; }
    return undefined;
  }
  return out;
}

/** What an expression's value is, for the question asked. */
type Shape =
  /** A number, a string or a function of the clock only (`time()`, `hour()`): no series. */
  | 'constant'
  /** Every series it reads is averaged over a window of at least the minimum. */
  | 'windowed'
  /** Some series it reads is instantaneous or over a shorter window. */
  | 'instant';

/** A range vector: a selector or subquery with its range (ms). */
interface RangeValue {
  range: number;
  /** The shape of what the range is over (a subquery's inner expression; a selector is instant). */
  inner: Shape;
}

type Value = { shape: Shape } | RangeValue;

function isRange(v: Value): v is RangeValue {
  return (v as RangeValue).range !== undefined;
}

function combine(shapes: Shape[]): Shape {
  if (shapes.includes('instant')) return 'instant';
  return shapes.includes('windowed') ? 'windowed' : 'constant';
}

class Parser {
  private i = 0;
  constructor(private readonly toks: Tok[], private readonly minMs: number) {}

  parse(): Shape | undefined {
    const v = this.expr(0);
    if (this.i !== this.toks.length) throw new Error('trailing tokens');
    return isRange(v) ? undefined : v.shape;
  }

  private peek(off = 0): Tok | undefined {
    return this.toks[this.i + off];
  }
  private is(v: string, off = 0): boolean {
    const t = this.peek(off);
    return !!t && (t.t === 'punct' || t.t === 'op' || t.t === 'id') && t.v === v;
  }
  private expect(v: string): void {
    if (!this.is(v)) throw new Error(`expected ${v}`);
    this.i++;
  }

  private binaryOp(): boolean {
    const t = this.peek();
    if (!t) return false;
    if (t.t === 'op' && !['=~', '!~', '='].includes(t.v)) return true;
    return t.t === 'id' && ['and', 'or', 'unless', 'atan2'].includes(t.v);
  }

  private expr(depth: number): Value {
    if (depth > 200) throw new Error('too deep');
    const shapes: Shape[] = [];
    let first = this.unary(depth);
    let count = 1;
    while (this.binaryOp()) {
      this.i++;
      if (this.is('bool')) this.i++;
      // `on (a, b) group_left (c)`
      while (this.peek()?.t === 'id' && GROUPING.has((this.peek() as { v: string }).v)) {
        this.i++;
        if (this.is('(')) this.labelList();
      }
      const next = this.unary(depth);
      if (isRange(next)) throw new Error('range in binary expression');
      shapes.push((next as { shape: Shape }).shape);
      count++;
    }
    if (count === 1) return first;
    if (isRange(first)) throw new Error('range in binary expression');
    shapes.push(first.shape);
    first = { shape: combine(shapes) };
    return first;
  }

  private unary(depth: number): Value {
    while (this.is('-') || this.is('+')) this.i++;
    let v = this.primary(depth);
    // Postfix: `[5m]`, `[1h:1m]` subquery, `offset 5m`, `@ 123` / `@ start()`.
    for (;;) {
      if (this.is('[')) {
        this.i++;
        const d = this.peek();
        if (!d || d.t !== 'dur') throw new Error('range');
        this.i++;
        let subquery = false;
        if (this.is(':')) {
          subquery = true;
          this.i++;
          if (this.peek()?.t === 'dur') this.i++;
        }
        this.expect(']');
        if (isRange(v)) throw new Error('range of a range');
        // A plain range applies to a selector only; a subquery to any instant expression.
        if (!subquery && !(v as { selector?: boolean }).selector) throw new Error('range of an expression');
        v = { range: d.ms, inner: v.shape };
        continue;
      }
      if (this.is('offset')) {
        this.i++;
        if (this.is('-')) this.i++;
        if (this.peek()?.t !== 'dur') throw new Error('offset');
        this.i++;
        continue;
      }
      if (this.is('@')) {
        this.i++;
        if (this.peek()?.t === 'num' || this.peek()?.t === 'dur') this.i++;
        else if (this.is('start') || this.is('end')) {
          this.i++;
          this.expect('(');
          this.expect(')');
        } else throw new Error('@');
        continue;
      }
      return v;
    }
  }

  private labelList(): void {
    this.expect('(');
    while (!this.is(')')) {
      const t = this.peek();
      if (!t) throw new Error('label list');
      this.i++;
    }
    this.i++;
  }

  private matchers(): void {
    this.expect('{');
    let guard = 0;
    while (!this.is('}')) {
      if (!this.peek() || guard++ > 1000) throw new Error('matchers');
      this.i++;
    }
    this.i++;
  }

  private args(depth: number): Value[] {
    this.expect('(');
    const out: Value[] = [];
    if (this.is(')')) {
      this.i++;
      return out;
    }
    for (;;) {
      out.push(this.expr(depth + 1));
      if (this.is(',')) {
        this.i++;
        continue;
      }
      this.expect(')');
      return out;
    }
  }

  private primary(depth: number): Value & { selector?: boolean } {
    const t = this.peek();
    if (!t) throw new Error('end of expression');
    if (t.t === 'num' || t.t === 'str') {
      this.i++;
      return { shape: 'constant' };
    }
    if (t.t === 'punct' && t.v === '(') {
      this.i++;
      const v = this.expr(depth + 1);
      this.expect(')');
      return v;
    }
    if (t.t === 'punct' && t.v === '{') {
      this.matchers();
      return { shape: 'instant', selector: true };
    }
    if (t.t !== 'id' || (KEYWORDS.has(t.v) && !GROUPING.has(t.v))) throw new Error('unexpected token');
    this.i++;
    const name = t.v;
    // Aggregation with a leading grouping clause: `sum by (le) (…)`.
    if ((this.is('by') || this.is('without')) && this.is('(', 1)) {
      this.i++;
      this.labelList();
      return this.call(name, depth);
    }
    if (this.is('(')) return this.call(name, depth);
    if (/^(inf|nan)$/i.test(name) && !this.is('{')) return { shape: 'constant' };
    if (this.is('{')) this.matchers();
    // An info metric (`node_uname_info`, `ceph_osd_metadata`) is 1 for every series: it is
    // joined in (`* on (instance) group_left (nodename)`) for its labels, not its value.
    if (/_(info|metadata)$/.test(name)) return { shape: 'constant', selector: true };
    return { shape: recordedWindow(name) >= this.minMs ? 'windowed' : 'instant', selector: true };
  }

  private call(name: string, depth: number): Value {
    const args = this.args(depth);
    // A trailing grouping clause: `sum (…) by (le)`.
    if ((this.is('by') || this.is('without')) && this.is('(', 1)) {
      this.i++;
      this.labelList();
    }
    const fn = name.toLowerCase();
    const ranges = args.filter(isRange);
    if (ranges.length) {
      const r = ranges[0];
      // The function reads the whole window: averaged when the window is long enough and what
      // it reads is instant series (a selector) or itself averaged (a subquery over a rate).
      if (WINDOW_FUNCTIONS.has(fn) && r.range >= this.minMs && r.inner !== 'constant') return { shape: 'windowed' };
      return { shape: 'instant' };
    }
    const shapes = args.map((a) => (a as { shape: Shape }).shape);
    // `time()`, `hour()`, `vector(1)`, `scalar(…)` of constants: no series.
    return { shape: shapes.length ? combine(shapes) : 'constant' };
  }
}

/**
 * The window a recorded series was computed over, by the recording-rule naming convention
 * `level:metric:operations` (`job:http_errors:rate5m`, `slo:sli_error:ratio_rate30m`,
 * `instance:cpu:avg_over_time10m`), or 0.
 */
export function recordedWindow(name: string): number {
  const parts = name.split(':');
  if (parts.length < 3) return 0;
  const m = /(?:^|_)(?:rate|increase|(?:avg|min|max|sum|count|quantile)_?over_?time|avg|mean|ratio_rate)_?(\d+(?:ms|s|m|h|d|w|y))$/.exec(parts[parts.length - 1]);
  return m ? parseDuration(m[1]) ?? 0 : 0;
}

/**
 * True when every series the expression reads is averaged over a window of `minMs` or more
 * (`rate`, `increase`, `*_over_time`, `deriv`, `predict_linear`, directly or in a subquery),
 * and it reads at least one. False when it cannot be parsed.
 */
export function averagedOverWindow(expr: string, minMs = 5 * 60_000): boolean {
  const toks = tokenize(expr);
  if (!toks || toks.length === 0 || toks.length > 5000) return false;
  try {
    return new Parser(toks, minMs).parse() === 'windowed';
  } catch {
    return false;
  }
}
