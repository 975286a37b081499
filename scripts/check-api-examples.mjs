// Every public export of every package has JSDoc with a fenced ```ts example, and the examples type-check against the built packages.
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { splitImports, tsBlocks, typeCheck } from './ts-blocks.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PACKAGES = ['core', 'webgpu', 'layers', 'webdl', 'datasets', 'vis'];

/** Every entry of the packages' `exports` maps: its module name ('webdl/io'), source file and built .d.ts. */
export function entryPoints() {
  const out = [];
  for (const p of PACKAGES) {
    const dir = join(root, 'packages', p);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    for (const [sub, target] of Object.entries(pkg.exports ?? { '.': { types: './dist/index.d.ts' } })) {
      const dts = typeof target === 'string' ? target : target.types;
      if (!dts) continue;
      const spec = sub === '.' ? pkg.name : `${pkg.name}/${sub.replace(/^\.\//, '')}`;
      const src = join(dir, dts.replace(/^\.\/dist\//, 'src/').replace(/\.d\.ts$/, '.ts'));
      out.push({ spec, src, dts: join(dir, dts) });
    }
  }
  return out;
}

/** The JSDoc block (`/** ... *\/`) right before `node`, with its ` * ` prefixes stripped, or null. */
function jsdocOf(node) {
  const sf = node.getSourceFile();
  const text = sf.getFullText();
  const ranges = ts.getLeadingCommentRanges(text, node.getFullStart()) ?? [];
  const last = ranges.filter((r) => text.startsWith('/**', r.pos)).pop();
  if (!last) return null;
  const raw = text.slice(last.pos + 3, last.end - 2);
  const doc = raw
    .split('\n')
    .map((l) => l.replace(/^\s*\* ?/, ''))
    .join('\n');
  return {
    doc,
    file: sf.fileName,
    line: sf.getLineAndCharacterOfPosition(last.pos).line + 1,
    pos: last.pos,
    end: last.end,
  };
}

/** The statement that carries a declaration's JSDoc (a `const` sits inside a VariableStatement). */
export function docHost(decl) {
  if (ts.isVariableDeclaration(decl)) return decl.parent.parent;
  if (ts.isExportSpecifier(decl)) return decl.parent.parent;
  if (ts.isNamespaceExport(decl)) return decl.parent;
  return decl;
}

/** Walks one package's entry: each export (namespace members too) as { name, decl, doc, type }. */
function walk(checker, entry, pkgName) {
  const out = [];
  const visit = (moduleSymbol, prefix, depth) => {
    for (const sym of checker.getExportsOfModule(moduleSymbol)) {
      const name = `${prefix}${sym.name}`;
      let target = sym;
      // The docs may sit on the re-export (`/** ... */ export * as mnist from`) or on the declaration.
      const docs = [];
      for (const d of sym.declarations ?? []) docs.push(jsdocOf(docHost(d)));
      if (sym.flags & ts.SymbolFlags.Alias) target = checker.getAliasedSymbol(sym);
      const decls = target.declarations ?? [];
      for (const d of decls) if (!ts.isSourceFile(d)) docs.push(jsdocOf(docHost(d)));
      const doc = docs.find((d) => d && /```ts/.test(d.doc)) ?? docs.find((d) => d != null) ?? null;
      const decl = decls[0] ?? sym.declarations?.[0];
      const isNamespace = decl && ts.isSourceFile(decl);
      const isType = !(target.flags & ts.SymbolFlags.Value) && !isNamespace;
      out.push({ pkg: pkgName, name, target, decl, doc, isType, isNamespace });
      if (isNamespace && depth === 0) visit(target, `${name}.`, depth + 1);
    }
  };
  visit(checker.getSymbolAtLocation(entry), '', 0);
  return out;
}

export function collect() {
  const entries = entryPoints();
  const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.docs.json'), {}, ts.sys);
  // Subpath entries ('webdl/io') resolve to their sources too, so re-exports meet the same declarations.
  const paths = { ...config.options.paths, ...Object.fromEntries(entries.map((e) => [e.spec, [e.src]])) };
  const program = ts.createProgram(
    entries.map((e) => e.src),
    { ...config.options, paths, noEmit: true },
  );
  const checker = program.getTypeChecker();
  const all = [];
  for (const e of entries) all.push(...walk(checker, program.getSourceFile(e.src), e.spec));
  // The umbrella re-exports core and layers: one entry per declaration, named where it is first exported.
  const seen = new Map();
  for (const e of all) {
    const key = e.target;
    if (!seen.has(key)) seen.set(key, { ...e, names: [`${e.pkg} ${e.name}`] });
    else seen.get(key).names.push(`${e.pkg} ${e.name}`);
  }
  const topNames = new Map();
  for (const e of all)
    if (!e.name.includes('.')) topNames.set(e.pkg, [...(topNames.get(e.pkg) ?? []), e.name]);
  const exps = [...seen.values()].map((e) => {
    const sf = e.decl?.getSourceFile();
    const where = sf
      ? `${relative(root, sf.fileName)}:${sf.getLineAndCharacterOfPosition(e.decl.getStart()).line + 1}`
      : '?';
    return { ...e, where, key: e.names[0] };
  });
  return { exps, topNames };
}

/** Names an example may use without declaring them (as if earlier lines had made them). */
const AMBIENT = `// Free names the API examples may use, as if the lines before them had made these.
declare const model: import('webdl').Sequential;
declare const x: import('webdl').Tensor;
declare const y: import('webdl').Tensor;
declare const xs: import('webdl').Tensor;
declare const ys: import('webdl').Tensor;
declare const a: import('webdl').Tensor;
declare const b: import('webdl').Tensor;
declare const ds: import('webdl').data.Dataset<{ xs: import('webdl').Tensor; ys: import('webdl').Tensor }>;
declare const yTrue: import('webdl').Tensor;
declare const yPred: import('webdl').Tensor;
declare const logits: import('webdl').Tensor;
declare const probs: import('webdl').Tensor;
declare const labels: import('webdl').Tensor;
declare const predictions: import('webdl').Tensor;
declare const images: import('webdl').Tensor;
declare const w: import('webdl').Tensor;
declare const grads: import('webdl').Tensor[];
declare const bytes: Uint8Array;
declare const file: File;
declare const gpuBuffer: GPUBuffer;
declare const canvas: HTMLCanvasElement;
declare const container: HTMLElement;
`;
const ambientNames = new Set([...AMBIENT.matchAll(/declare const (\w+)/g)].map((m) => m[1]));

/** Names bound by an example's own import lines. */
function importedNames(lines) {
  const names = new Set();
  for (const l of lines) {
    for (const m of l.matchAll(/\*\s+as\s+(\w+)/g)) names.add(m[1]);
    const braces = /\{([^}]*)\}/.exec(l);
    if (braces)
      for (const part of braces[1].split(','))
        if (part.trim())
          names.add(
            part
              .trim()
              .split(/\s+as\s+/)
              .pop()
              .replace(/^type\s+/, ''),
          );
    const def = /^import\s+(?:type\s+)?(\w+)\s*(?:,|from)/.exec(l);
    if (def) names.add(def[1]);
  }
  return names;
}

/** One module per example: the home package's exports and the umbrella's in scope, the body in its own block. */
function exampleFiles(exps, topNames) {
  const files = { 'ambient.d.ts': AMBIENT };
  const where = {};
  let n = 0;
  for (const e of exps) {
    if (!e.doc) continue;
    for (const block of tsBlocks(e.doc.doc)) {
      const { imports, body } = splitImports(block.code, { keepLines: true });
      const bound = importedNames(imports);
      const header = [...imports];
      if (!bound.has('dl')) header.push("import * as dl from 'webdl';");
      for (const pkg of [e.pkg, 'webdl']) {
        const names = topNames
          .get(pkg)
          .filter((nm) => !bound.has(nm) && !ambientNames.has(nm) && nm !== 'dl');
        for (const nm of names) bound.add(nm);
        if (names.length) header.push(`import { ${names.join(', ')} } from '${pkg}';`);
      }
      const name = `e${n++}.ts`;
      files[name] = `${header.join('\n')}\n{\n${body}\n}\nexport {};\n`;
      where[name] = {
        e,
        bodyStart: header.length + 2,
        line: e.doc.line + block.line - 1,
        file: relative(root, e.doc.file),
      };
    }
  }
  return { files, where };
}

/** Type-checks every example against the built packages (dist/*.d.ts); returns one message per error. */
function checkExamples(exps, topNames) {
  const { files, where } = exampleFiles(exps, topNames);
  const dir = join(root, 'node_modules', '.cache', 'api-examples');
  const rel = relative(dir, root);
  const paths = Object.fromEntries(entryPoints().map((e) => [e.spec, [relative(dir, e.dts)]]));
  const out = typeCheck(
    dir,
    files,
    {
      noEmit: true,
      composite: false,
      declaration: false,
      declarationMap: false,
      sourceMap: false,
      verbatimModuleSyntax: false,
      isolatedModules: false,
      types: ['node', '@webgpu/types'],
      paths,
    },
    `${rel}/tsconfig.base.json`,
  );
  const errors = [];
  for (const line of out.split('\n')) {
    const m = /(e\d+\.ts)\((\d+),(\d+)\): (.*)$/.exec(line);
    if (m && where[m[1]]) {
      const w = where[m[1]];
      const at = w.line + Math.max(0, Number(m[2]) - w.bodyStart);
      errors.push(`${w.file}:${at}: the example of ${w.e.key}: ${m[4]}`);
    } else if (line.trim() && !m) errors.push(line);
  }
  return { errors, count: Object.keys(files).length - 1 };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const t0 = Date.now();
  const { exps, topNames } = collect();
  const missing = exps.filter((e) => e.doc == null || tsBlocks(e.doc.doc).length === 0);
  if (process.argv.includes('--list')) {
    for (const e of missing)
      console.log(
        `${e.key}\t${e.isType ? 'type' : 'value'}\t${e.where}\t${e.doc == null ? 'no-jsdoc' : 'no-example'}`,
      );
    process.exit(0);
  }
  const allowFile = join(root, 'scripts', 'api-examples-missing.txt');
  const allowed = new Set(
    readFileSync(allowFile, 'utf8')
      .split('\n')
      .map((l) => l.replace(/#.*/, '').trim())
      .filter(Boolean),
  );
  const problems = [];
  for (const e of missing) {
    if (!allowed.has(e.key))
      problems.push(
        `${e.where}: ${e.key} has ${e.doc == null ? 'no JSDoc' : 'JSDoc but no fenced ```ts example'}`,
      );
  }
  const keys = new Set(exps.map((e) => e.key));
  const missingKeys = new Set(missing.map((e) => e.key));
  for (const k of allowed) {
    if (!keys.has(k)) problems.push(`scripts/api-examples-missing.txt: '${k}' is no export: remove it`);
    else if (!missingKeys.has(k))
      problems.push(`scripts/api-examples-missing.txt: '${k}' has its example now: remove it from the list`);
  }
  const { errors, count } = checkExamples(exps, topNames);
  problems.push(...errors);
  const took = ((Date.now() - t0) / 1000).toFixed(1);
  if (problems.length) {
    console.error(problems.join('\n'));
    console.error(
      `API examples: ${problems.length} problem(s) (${exps.length} exports, ${missing.length} without example, ${count} examples type-checked, ${took} s)`,
    );
    process.exit(1);
  }
  console.log(
    `API examples: ${exps.length - missing.length} of ${exps.length} exports have one, ${count} examples type-check, ${allowed.size} still listed in scripts/api-examples-missing.txt (${took} s)`,
  );
}
