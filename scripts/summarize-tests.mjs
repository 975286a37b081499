// Prints one closing line `N passed, N failed, N skipped` over the JSON reports of every suite, and names the
// suites (further arguments) whose runner exited non-zero, which a run with 0 failed tests can do (unhandled errors).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2] ?? 'test-results';
const failedSuites = process.argv.slice(3);
let passed = 0;
let failed = 0;
let skipped = 0;
for (const f of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
  const r = JSON.parse(readFileSync(join(dir, f), 'utf8'));
  if (typeof r.numPassedTests === 'number') {
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  } else if (r.stats) {
    passed += r.stats.expected ?? 0;
    failed += (r.stats.unexpected ?? 0) + (r.stats.flaky ?? 0);
    skipped += r.stats.skipped ?? 0;
  }
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
if (failedSuites.length > 0) {
  console.log(
    `suites that exited non-zero: ${failedSuites.join(', ')} (see their output above: a failed test, an unhandled error, or a crash)`,
  );
}
