// Type-checks README.md's ```ts blocks (issue 14 item 7): extracted at test time, each block in its own scope, imports shared.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
// A block fenced ```ts notest is prose-only (a fragment), everything else must compile.
const blocks = [...readme.matchAll(/^```ts([^\n]*)\n([\s\S]*?)^```/gm)]
  .filter((m) => !/\bnotest\b/.test(m[1]))
  .map((m) => ({ line: readme.slice(0, m.index).split('\n').length + 1, code: m[2] }));

const imports = new Set(["import * as dl from 'webdl';"]);
const bodies = blocks.map(({ line, code }) => {
  const body = code
    .split('\n')
    .filter((l) => {
      if (!/^import\s/.test(l)) return true;
      imports.add(l.replace(/\s*\/\/.*$/, ''));
      return false;
    })
    .join('\n');
  return `// README.md line ${line}\n{\n${body}\n}\n`;
});
// Under node_modules/.cache: out of the lint and format checks, which run on the tree after this.
const out = join(root, 'node_modules', '.cache', 'readme-types');
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'readme.ts'), `${[...imports].join('\n')}\n\n${bodies.join('\n')}\nexport {};\n`);
writeFileSync(
  join(out, 'tsconfig.json'),
  JSON.stringify({
    extends: '../../../tsconfig.test.json',
    include: ['readme.ts'],
    compilerOptions: { noUnusedLocals: false },
  }),
);
try {
  execFileSync('npx', ['tsc', '-p', out], { cwd: root, stdio: 'inherit' });
} catch {
  console.error(`README.md: the ts code blocks do not type-check (see ${join(out, 'readme.ts')})`);
  process.exit(1);
}
console.log(`README.md: ${blocks.length} ts code block(s) type-check`);
