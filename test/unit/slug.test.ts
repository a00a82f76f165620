import * as assert from 'node:assert/strict';
import { slugify } from '../../src/engine/text';

// GitHub's heading anchors follow github-slugger: lower-case, remove other numbers, punctuation
// but `_` and `-`, symbols (emoji), controls, format characters and separators but the space,
// keep letters, marks and numbers, then turn each space into `-`.
describe('slugify (github-slugger)', () => {
  const cases: [string, string][] = [
    ['Hello World', 'hello-world'],
    ['Hello  World', 'hello--world'],
    ['I ♥ unicode', 'i--unicode'],
    ['Café au lait', 'café-au-lait'],
    ['foo_bar-baz', 'foo_bar-baz'],
    ['C++ & Go', 'c--go'],
    ['v1.2.3 (stable)', 'v123-stable'],
    ['x² and ①', 'x-and-'],
    ['🚀 Deploy', '-deploy'],
    ['Deploy 🚀', 'deploy-'],
    // Keycap digits: the variation selector U+FE0F (Mn) and the enclosing keycap U+20E3 (Me) are marks, kept.
    ['1️⃣ Step one', '1\u{FE0F}\u{20E3}-step-one'],
    // A zero-width joiner (Cf) inside an emoji sequence goes with the emoji.
    ['👩‍💻 On call', '-on-call'],
    // A non-breaking hyphen (Pd) and a no-break space (Zs) are removed; only `-` and ` ` survive.
    ['roll\u2011back\u00A0now', 'rollbacknow'],
    ['Ⓐ circled', 'ⓐ-circled'],
    ['日本語 見出し', '日本語-見出し'],
    ['Привет мир', 'привет-мир'],
  ];
  for (const [heading, slug] of cases) {
    it(`${JSON.stringify(heading)} → ${JSON.stringify(slug)}`, () => assert.equal(slugify(heading), slug));
  }
});
