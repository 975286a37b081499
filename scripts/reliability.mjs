#!/usr/bin/env node
// `npm run fuzz -- --calls N --seed S` and `npm run soak -- --steps N`: the reliability suites with a bigger budget.
import { spawnSync } from 'node:child_process';

const [what, ...args] = process.argv.slice(2);
const flag = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const runs = {
  fuzz: {
    file: 'packages/webdl/test/fuzz.test.ts',
    env: { FUZZ_CALLS: flag('calls', '10000'), FUZZ_SEED: flag('seed', '1') },
  },
  soak: { file: 'packages/webdl/test/soak.test.ts', env: { SOAK_STEPS: flag('steps', '10000') } },
};
const run = runs[what];
if (!run) {
  console.error('usage: node scripts/reliability.mjs fuzz [--calls N] [--seed S] | soak [--steps N]');
  process.exit(2);
}
const r = spawnSync('npx', ['vitest', 'run', run.file], {
  stdio: 'inherit',
  env: { ...process.env, ...run.env },
});
process.exit(r.status ?? 1);
