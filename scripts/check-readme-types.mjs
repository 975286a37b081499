// Type-checks README.md's ```ts blocks (issue 14 item 7): extracted at test time, each block in its own scope, imports shared.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { splitImports, tsBlocks, typeCheck } from './ts-blocks.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const blocks = tsBlocks(readFileSync(join(root, 'README.md'), 'utf8'));

const imports = new Set(["import * as dl from 'webdl';"]);
const bodies = blocks.map(({ line, code }) => {
  const split = splitImports(code);
  for (const l of split.imports) imports.add(l);
  return `// README.md line ${line}\n{\n${split.body}\n}\n`;
});
// Under node_modules/.cache: out of the lint and format checks, which run on the tree after this.
const out = join(root, 'node_modules', '.cache', 'readme-types');
const errors = typeCheck(out, {
  'readme.ts': `${[...imports].join('\n')}\n\n${bodies.join('\n')}\nexport {};\n`,
});
if (errors) {
  console.error(errors);
  console.error(`README.md: the ts code blocks do not type-check (see ${join(out, 'readme.ts')})`);
  process.exit(1);
}
console.log(`README.md: ${blocks.length} ts code block(s) type-check`);
