// A small POSIX-shell reader for runbook steps: enough of the shell grammar to tell which commands
// a step runs and with which words, as the shell itself would split them. Quotes ('…', "…", $'…'),
// backslash escapes, line continuations, comments, operators (`|`, `&&`, `||`, `;`, `&`),
// redirections (`>`, `>>`, `2>&1`, `<`, `<<EOF` with its body, `<<<`), command substitutions
// (`$( … )`, backquotes, also inside double quotes: their commands are read as commands of their
// own), subshells and braces, and the keywords of compound commands (`if`, `while`, `for … in …`).
// It never runs or expands anything: `$VAR` stays as written.

export interface ShellWord {
  /** The word after quote removal (variables and substitutions left as written). */
  value: string;
  /** Offsets of the word as written in the script (quotes included). */
  start: number;
  end: number;
  /** Any part of the word was quoted. */
  quoted: boolean;
}

export interface ShellRedirect {
  /** `>`, `>>`, `>|`, `&>`, `&>>`, `<`, `<<`, `<<-`, `<<<`, `<>`, `>&`, `<&`. */
  op: string;
  /** The file descriptor written before the operator (`2` of `2>`), if any. */
  fd?: string;
  target?: ShellWord;
  /** The body of a here-document (`<<EOF`), or the string of a here-string (`<<<`). */
  body?: string;
}

export interface SimpleCommand {
  /** `NAME=value` words before the command name. */
  assignments: ShellWord[];
  /** The command name and its arguments. */
  words: ShellWord[];
  redirects: ShellRedirect[];
  /** Offsets of the whole command as written (first to last word or redirection). */
  start: number;
  end: number;
  /** Whether the command's standard input comes from the previous command of a pipeline. */
  piped: boolean;
}

/** Characters that are always part of a word as written (no quoting, expansion or operator). */
/** `<name>` of a placeholder: a letter, then letters, digits, `_`, `-`, `.`, `:` or `/`, and `>` (sticky). */
const PLACEHOLDER = /<[A-Za-z][\w.:/-]{0,60}>/y;
const PLAIN = /[^\s;&|()<>\\'"$`]+/y;

const KEYWORDS_BEFORE_COMMAND = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', 'time', '{', '(']);
const KEYWORDS_ALONE = new Set(['fi', 'done', 'esac', '}', ')', 'in', ';;']);

/** The simple commands of `script`, in order of appearance, substitutions' commands included. */
export function parseShell(script: string): SimpleCommand[] {
  const out: SimpleCommand[] = [];
  new Reader(script, 0, script.length, out).run();
  return out.sort((a, b) => a.start - b.start);
}

interface PendingHeredoc {
  delimiter: string;
  stripTabs: boolean;
  redirect: ShellRedirect;
}

class Reader {
  private i: number;
  private current: { assignments: ShellWord[]; words: ShellWord[]; redirects: ShellRedirect[]; start: number; end: number; piped: boolean } | undefined;
  private pipedNext = false;
  private pendingRedirect: ShellRedirect | undefined;
  private heredocs: PendingHeredoc[] = [];
  /** Inside `for x in …` / `case … in` headers, up to the next separator: words that are not a command. */
  private skipping = false;

  constructor(
    private readonly s: string,
    start: number,
    private readonly stop: number,
    private readonly out: SimpleCommand[],
  ) {
    this.i = start;
  }

  run(): void {
    const s = this.s;
    while (this.i < this.stop) {
      const c = s[this.i];
      if (c === ' ' || c === '\t' || c === '\r') {
        this.i++;
      } else if (c === '\\' && s[this.i + 1] === '\n') {
        this.i += 2;
      } else if (c === '\n') {
        this.i++;
        this.endCommand(false);
        this.readHeredocBodies();
      } else if (c === '#') {
        while (this.i < this.stop && s[this.i] !== '\n') this.i++;
      } else if (c === ';' || c === '&' || c === '|') {
        const two = s.slice(this.i, this.i + 2);
        if (c === '&' && (two === '&>' || s.slice(this.i, this.i + 3) === '&>>')) {
          this.readRedirect();
          continue;
        }
        const isPipe = c === '|' && two !== '||';
        this.i += two === '&&' || two === '||' || two === ';;' || two === '|&' ? 2 : 1;
        this.endCommand(isPipe);
      } else if (c === '(' || c === ')') {
        this.i++;
        this.endCommand(false);
      } else if ((c === '>' || c === '<') && s[this.i + 1] === '(') {
        // Process substitution `<( … )`: its commands are commands of the step.
        const start = this.i;
        const close = this.matching(this.i + 1, '(', ')');
        new Reader(s, this.i + 2, close, this.out).run();
        this.i = close + 1;
        this.addWord({ value: s.slice(start, this.i), start, end: this.i, quoted: false });
      } else if (c === '<' && this.atPlaceholder()) {
        const w = this.readWord();
        if (w) this.addWord(w);
      } else if (c === '>' || c === '<') {
        this.readRedirect();
      } else if (/[0-9]/.test(c) && /^[0-9]+[<>]/.test(s.slice(this.i, this.i + 4)) && this.atWordStart()) {
        this.readRedirect();
      } else {
        const w = this.readWord();
        if (w) this.addWord(w);
      }
    }
    this.endCommand(false);
  }

  /**
   * A runbook placeholder (`<host>`, `<deployment-id>`, `https://<host>:9243/x`) at the cursor:
   * a name in angle brackets with no space, which the reader replaces. In a shell it would be an
   * input redirection from a file named `host>`, which nobody writes.
   */
  private atPlaceholder(): boolean {
    PLACEHOLDER.lastIndex = this.i;
    return PLACEHOLDER.test(this.s) && this.s[this.i + 1] !== '<';
  }

  private atWordStart(): boolean {
    const p = this.s[this.i - 1];
    return p === undefined || /[\s;&|()]/.test(p);
  }

  private addWord(w: ShellWord): void {
    if (this.pendingRedirect) {
      const r = this.pendingRedirect;
      this.pendingRedirect = undefined;
      r.target = w;
      if (r.op === '<<' || r.op === '<<-') this.heredocs.push({ delimiter: w.value, stripTabs: r.op === '<<-', redirect: r });
      else if (r.op === '<<<') r.body = w.value;
      if (this.current) this.current.end = Math.max(this.current.end, w.end);
      return;
    }
    if (this.skipping) return;
    if (!this.current || (!this.current.words.length && !this.current.assignments.length)) {
      // Keywords that open or close compound commands are not commands.
      if (!w.quoted && KEYWORDS_BEFORE_COMMAND.has(w.value)) return;
      if (!w.quoted && KEYWORDS_ALONE.has(w.value)) return;
      if (!w.quoted && /^[A-Za-z_][\w-]*\(\)$/.test(w.value)) return; // `name()` of a function definition
      if (!w.quoted && (w.value === 'for' || w.value === 'case' || w.value === 'select' || w.value === 'function')) {
        this.skipping = true;
        return;
      }
    }
    if (!this.current) this.current = { assignments: [], words: [], redirects: [], start: w.start, end: w.end, piped: this.pipedNext };
    if (!this.current.words.length && /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/.test(w.value) && !this.s.slice(w.start, w.end).startsWith('"') && !this.s.slice(w.start, w.end).startsWith("'")) {
      this.current.assignments.push(w);
    } else {
      this.current.words.push(w);
    }
    this.current.end = Math.max(this.current.end, w.end);
  }

  private endCommand(piped: boolean): void {
    if (this.pendingRedirect) this.pendingRedirect = undefined;
    this.skipping = false;
    const c = this.current;
    this.current = undefined;
    if (c && (c.words.length || c.assignments.length || c.redirects.length)) this.out.push(c);
    this.pipedNext = piped && !!c;
  }

  private readRedirect(): void {
    const s = this.s;
    const start = this.i;
    let fd: string | undefined;
    const m = /^[0-9]+/.exec(s.slice(this.i, this.i + 4));
    if (m) {
      fd = m[0];
      this.i += m[0].length;
    }
    const op = /^(?:<<<|<<-|<<|<>|<&|<|>>|>\||>&|>|&>>|&>)/.exec(s.slice(this.i, this.i + 3))![0];
    this.i += op.length;
    const r: ShellRedirect = { op, fd };
    if (!this.current) this.current = { assignments: [], words: [], redirects: [], start, end: this.i, piped: this.pipedNext };
    this.current.redirects.push(r);
    this.current.end = Math.max(this.current.end, this.i);
    // `>&2`, `2>&1`, `<&-`: the target is a descriptor written right after the operator.
    if (op === '>&' || op === '<&') {
      const d = /^(?:[0-9]+|-)/.exec(s.slice(this.i, this.i + 8));
      if (d) {
        r.target = { value: d[0], start: this.i, end: this.i + d[0].length, quoted: false };
        this.i += d[0].length;
        this.current.end = this.i;
        return;
      }
    }
    this.pendingRedirect = r;
  }

  /** After a newline: the bodies of the here-documents opened on the line just ended. */
  private readHeredocBodies(): void {
    const s = this.s;
    for (const h of this.heredocs) {
      const body: string[] = [];
      while (this.i < this.stop) {
        let e = s.indexOf('\n', this.i);
        if (e < 0 || e > this.stop) e = this.stop;
        let line = s.slice(this.i, e).replace(/\r$/, '');
        this.i = Math.min(e + 1, this.stop);
        if (h.stripTabs) line = line.replace(/^\t+/, '');
        if (line === h.delimiter || line.trim() === h.delimiter) break;
        body.push(line);
      }
      h.redirect.body = body.join('\n');
    }
    this.heredocs = [];
  }

  /** One word: quotes removed, substitutions read as commands of their own. */
  private readWord(): ShellWord | undefined {
    const s = this.s;
    const start = this.i;
    let value = '';
    let quoted = false;
    while (this.i < this.stop) {
      // A run of ordinary characters at once (most of a word).
      PLAIN.lastIndex = this.i;
      const plain = PLAIN.exec(s);
      if (plain && plain.index === this.i) {
        const end = Math.min(this.i + plain[0].length, this.stop);
        value += s.slice(this.i, end);
        this.i = end;
        continue;
      }
      const c = s[this.i];
      if (c === '<' && this.atPlaceholder()) {
        const close = this.s.indexOf('>', this.i);
        value += s.slice(this.i, close + 1);
        this.i = close + 1;
        continue;
      }
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === ';' || c === '&' || c === '|' || c === ')' || c === '<' || c === '>') break;
      if (c === '(' && value !== '') {
        // `name()` of a function definition, or a glob like `@(…)`: keep it in the word.
        const close = this.matching(this.i, '(', ')');
        value += s.slice(this.i, close + 1);
        this.i = close + 1;
        continue;
      }
      if (c === '(') break;
      if (c === '\\') {
        if (s[this.i + 1] === '\n') {
          this.i += 2;
          continue;
        }
        value += s[this.i + 1] ?? '';
        this.i += 2;
        continue;
      }
      if (c === "'") {
        quoted = true;
        const e = s.indexOf("'", this.i + 1);
        const end = e < 0 || e >= this.stop ? this.stop : e;
        value += s.slice(this.i + 1, end);
        this.i = end + 1;
        continue;
      }
      if (c === '$' && s[this.i + 1] === "'") {
        quoted = true;
        let j = this.i + 2;
        while (j < this.stop && s[j] !== "'") j += s[j] === '\\' ? 2 : 1;
        value += s.slice(this.i + 2, Math.min(j, this.stop)).replace(/\\(.)/g, '$1');
        this.i = j + 1;
        continue;
      }
      if (c === '"') {
        quoted = true;
        this.i++;
        while (this.i < this.stop && s[this.i] !== '"') {
          const d = s[this.i];
          if (d === '\\' && /["\\$`\n]/.test(s[this.i + 1] ?? '')) {
            if (s[this.i + 1] !== '\n') value += s[this.i + 1];
            this.i += 2;
          } else if (d === '$' && s[this.i + 1] === '(') {
            value += this.substitution();
          } else if (d === '`') {
            value += this.backquote();
          } else {
            value += d;
            this.i++;
          }
        }
        this.i++;
        continue;
      }
      if (c === '$' && s[this.i + 1] === '(') {
        value += this.substitution();
        continue;
      }
      if (c === '$' && s[this.i + 1] === '{') {
        const close = this.matching(this.i + 1, '{', '}');
        value += s.slice(this.i, close + 1);
        this.i = close + 1;
        continue;
      }
      if (c === '`') {
        value += this.backquote();
        continue;
      }
      value += c;
      this.i++;
    }
    if (this.i === start) {
      this.i++;
      return undefined;
    }
    return { value, start, end: Math.min(this.i, this.stop), quoted };
  }

  /** `$( … )` (or `$(( … ))`, arithmetic, which runs nothing) at `i`: its commands are read; returns the text as written. */
  private substitution(): string {
    const s = this.s;
    const open = this.i + 1;
    const close = this.matching(open, '(', ')');
    const text = s.slice(this.i, close + 1);
    if (s[open + 1] !== '(') new Reader(s, open + 1, close, this.out).run();
    this.i = close + 1;
    return text;
  }

  private backquote(): string {
    const s = this.s;
    let j = this.i + 1;
    while (j < this.stop && s[j] !== '`') j += s[j] === '\\' ? 2 : 1;
    const end = Math.min(j, this.stop);
    new Reader(s, this.i + 1, end, this.out).run();
    const text = s.slice(this.i, end + 1);
    this.i = end + 1;
    return text;
  }

  /** The offset of the bracket closing the one at `open`, skipping quoted text; the end when unclosed. */
  private matching(open: number, o: string, c: string): number {
    const s = this.s;
    let depth = 0;
    for (let j = open; j < this.stop; j++) {
      const ch = s[j];
      if (ch === '\\') {
        j++;
      } else if (ch === "'" && o === '(') {
        const e = s.indexOf("'", j + 1);
        if (e < 0 || e >= this.stop) return this.stop - 1;
        j = e;
      } else if (ch === '"') {
        let k = j + 1;
        while (k < this.stop && s[k] !== '"') k += s[k] === '\\' ? 2 : 1;
        j = k;
      } else if (ch === o) {
        depth++;
      } else if (ch === c) {
        depth--;
        if (depth === 0) return j;
      }
    }
    return this.stop - 1;
  }
}

/** Splits a command-line string into words the way a shell would (for `bash -c '…'` or `ssh host '…'` the caller re-reads the script instead). */
export function shellWords(text: string): string[] {
  return parseShell(text).flatMap((c) => [...c.assignments, ...c.words].map((w) => w.value));
}
