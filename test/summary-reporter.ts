// CI counts tests from one line `N passed, N failed, N skipped` alone on a
// line; vitest's own summary has another shape, so print ours at the end.
import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const n = { passed: 0, failed: 0, skipped: 0, pending: 0 };
    for (const m of modules) {
      for (const t of m.children.allTests()) n[t.result().state] += 1;
      // A module that failed to load has no tests but must not count as green.
      if (m.state() === 'failed' && [...m.children.allTests()].length === 0) n.failed += 1;
    }
    process.stdout.write(`\n${n.passed} passed, ${n.failed} failed, ${n.skipped + n.pending} skipped\n`);
  }
}
