import { parseChecklistFile } from '../checklists/load';
import { parseConfigText } from '../config/load';
import type { ParsedFile, TextFile } from '../model';
import { LineIndex, linesOutsideFences } from '../text';
import type { FileKind } from '../types';
import { parseAlertmanager } from './alertmanager';
import { parseMarkdown } from './markdown';
import { parseSlo } from './slo';
import { initTerraformParser, parseTerraform } from './terraform';
import { parseYaml } from './yaml';

// One entry point from file kind to parser. Every parser returns its own positioned errors;
// this wrapper also turns an unexpected exception into one, so a parser bug costs one file's
// findings, never the index or the process.

let ready: Promise<void> | undefined;

/** Loads the WASM grammars once. `wasmDir` is where the bundle ships them (dist/). */
export function initParsers(wasmDir?: string): Promise<void> {
  const promise =
    ready ??
    initTerraformParser(wasmDir).catch((e: unknown) => {
      ready = undefined;
      throw e;
    });
  ready = promise;
  return promise;
}

/** `relPath` (optional) tells the variants apart: ERB-rendered markdown (`*.html.md.erb`) has its tags blanked. */
export function parseFile(kind: FileKind, text: string, relPath?: string): ParsedFile {
  try {
    switch (kind) {
      case 'runbook':
      case 'postmortem':
        return parseMarkdown(relPath && /\.erb$/i.test(relPath) ? blankErb(text) : relPath && /\.mdx$/i.test(relPath) ? blankMdx(text) : text);
      case 'terraform':
      case 'terraform-vars':
        return parseTerraform(text);
      case 'ansible-inventory':
        // INI inventories are read as text; YAML inventories (a top-level `all:` or group key) as
        // YAML. A list of hosts without a section is INI too, not a YAML scalar.
        return /^\s*\[[^\]]+\]\s*$/m.test(text) || !/^["']?[\w.-]+["']?:[ \t]*(#.*)?\r?$/m.test(text) ? parseText(text) : parseYaml(text);
      case 'alertmanager-config':
        return parseAlertmanager(text);
      case 'slo-spec':
        return parseSlo(text);
      case 'opsreview-config': {
        const lines = new LineIndex(text);
        const loaded = parseConfigText(text);
        return { type: 'text', text, lines, comments: [], errors: [...loaded.errors, ...(loaded.warnings ?? [])] };
      }
      case 'checklist':
        return parseChecklistFile(text);
      case 'alert-rules':
      case 'k8s-manifest':
        return parseYaml(text, { readTemplates: true });
      default:
        return parseYaml(text);
    }
  } catch (e) {
    const lines = new LineIndex(text);
    return {
      type: 'text',
      text,
      lines,
      comments: [],
      errors: [{ message: `OpsReview could not parse this file (${(e as Error).message}); please report it.`, range: lines.lineRange(0), severity: 'error' }],
    };
  }
}

function parseText(text: string): TextFile {
  return { type: 'text', text, lines: new LineIndex(text), comments: [], errors: [] };
}

/**
 * ERB tags (`<% … %>`, `<%= … %>`, `<%# … %>`) replaced by spaces, line breaks kept, so every
 * position in the parsed page is the position in the file (GOV.UK tech-docs `*.html.md.erb`).
 */
export function blankErb(text: string): string {
  if (text.indexOf('<%') < 0) return text;
  return text.replace(/<%[\s\S]*?(%>|$)/g, (tag) => tag.replace(/[^\r\n]/g, ' '));
}

/**
 * MDX's own syntax blanked with spaces, positions kept: top-level `import`/`export` lines and JSX
 * component tags (`<Callout type="warning">`, `</Tabs>`, `<Diagram />`), which are markup, not
 * placeholders or prose. Fenced code blocks are left as written.
 */
export function blankMdx(text: string): string {
  const lines = text.split('\n');
  for (const i of linesOutsideFences(lines)) {
    const line = lines[i];
    if (/^(import|export)\s/.test(line)) lines[i] = line.replace(/[^\r]/g, ' ');
    else lines[i] = line.replace(/<\/?[A-Z][\w.]*(\s[^<>]*)?\/?>/g, (tag) => ' '.repeat(tag.length));
  }
  return lines.join('\n');
}
