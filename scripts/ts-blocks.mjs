// Shared by the docs checkers: pull ```ts blocks out of markdown or JSDoc text, hoist their imports, run tsc on them.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The ```ts blocks of `text` (a block fenced ```ts notest is prose-only and is skipped), with the line each starts on. */
export function tsBlocks(text) {
  return [...text.matchAll(/^```ts([^\n]*)\n([\s\S]*?)^```/gm)]
    .filter((m) => !/\bnotest\b/.test(m[1]))
    .map((m) => ({ line: text.slice(0, m.index).split('\n').length + 1, code: m[2] }));
}

/** Splits a block into its import lines (trailing comments dropped) and the rest (with blank lines in their place if keepLines). */
export function splitImports(code, { keepLines = false } = {}) {
  const imports = [];
  const body = [];
  for (const l of code.split('\n')) {
    if (/^import\s/.test(l)) {
      imports.push(l.replace(/\s*\/\/.*$/, ''));
      if (keepLines) body.push('');
    } else body.push(l);
  }
  return { imports, body: body.join('\n') };
}

/**
 * Writes `files` ({ name: source }) and a tsconfig extending `extendsPath` into `dir` (emptied first), then runs tsc there.
 * Returns tsc's output ('' when everything type-checks).
 */
export function typeCheck(dir, files, compilerOptions = {}, extendsPath = '../../../tsconfig.test.json') {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [name, src] of Object.entries(files)) writeFileSync(join(dir, name), src);
  const config = {
    extends: extendsPath,
    include: Object.keys(files),
    compilerOptions: { noUnusedLocals: false, ...compilerOptions },
  };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(config, null, 2));
  try {
    execFileSync('npx', ['tsc', '-p', dir, '--pretty', 'false'], { encoding: 'utf8', stdio: 'pipe' });
    return '';
  } catch (e) {
    return `${e.stdout ?? ''}${e.stderr ?? ''}` || String(e);
  }
}
