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
      // Printed at exit, after Spec's epilogue and after Ink's own exit hook (which restores
      // the terminal cursor with an escape sequence), so that it is really the last line.
      // Ink's cursor restore is a signal-exit "alwaysLast" hook; signal-exit (v3) keeps its
      // emitter on process, and an 'afterexit' listener added now runs after that one.
      const print = () => {
        const skipped = s.pending ? `, ${s.pending} skipped` : '';
        process.stdout.write(`\n${s.passes} passed, ${s.failures} failed${skipped}\n`);
      };
      const signalExit = process.__signal_exit_emitter__;
      if (signalExit && signalExit.count > 0) signalExit.on('afterexit', print);
      else process.once('exit', print);
    });
  }
}
module.exports = SummaryReporter;
