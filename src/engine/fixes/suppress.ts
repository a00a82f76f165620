import type { IndexedFile } from '../model';
import type { Fix } from '../types';

// "Disable for this line" and "Disable for this file" fixes, written in the comment syntax of
// the file's kind so the directive is valid where it lands (an HTML comment in markdown, `#`
// in YAML and HCL), indented like the line it covers.

function commentFor(file: IndexedFile, directive: string, line?: number): string {
  const fm = file.parsed.type === 'markdown' ? file.parsed.frontmatter : undefined;
  // Inside frontmatter the text is YAML, so a YAML comment is the valid directive there.
  const inFrontmatter = fm !== undefined && line !== undefined && line > 0 && line <= fm.closeLine;
  return file.parsed.type === 'markdown' && !inFrontmatter ? `<!-- ${directive} -->` : `# ${directive}`;
}

/** Undefined where no comment line can go (the opening `---` of frontmatter). */
export function disableLineFix(file: IndexedFile, ruleId: string, line: number): Fix | undefined {
  const lines = file.parsed.lines;
  if (file.parsed.type === 'markdown' && file.parsed.frontmatter && line === 0) return undefined;
  const text = lines.line(line);
  const indent = text.slice(0, text.length - text.trimStart().length);
  return {
    title: `Disable ${ruleId} for this line`,
    edits: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indent}${commentFor(file, `opsreview-disable-next-line ${ruleId}`, line)}${lines.eol}` }],
  };
}

export function disableFileFix(file: IndexedFile, ruleId: string): Fix {
  const lines = file.parsed.lines;
  // Markdown frontmatter must stay on line 1, so the directive goes right after it.
  const fm = file.parsed.type === 'markdown' ? file.parsed.frontmatter : undefined;
  const line = fm ? fm.closeLine + 1 : 0;
  return {
    title: `Disable ${ruleId} for this file`,
    edits: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${commentFor(file, `opsreview-disable ${ruleId}`)}${lines.eol}` }],
  };
}
