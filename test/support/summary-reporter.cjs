// Mocha's spec reporter, closed by the line CI reads: `N passed, N failed`.
'use strict';
const Mocha = require('mocha');
const { Spec } = Mocha.reporters;
const { EVENT_RUN_END } = Mocha.Runner.constants;

class SummaryReporter extends Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(EVENT_RUN_END, () => {
      const s = runner.stats;
      // printed after Spec's epilogue so it is the last line
      process.nextTick(() => {
        const skipped = s.pending ? `, ${s.pending} skipped` : '';
        process.stdout.write(`${s.passes} passed, ${s.failures} failed${skipped}\n`);
      });
    });
  }
}
module.exports = SummaryReporter;
