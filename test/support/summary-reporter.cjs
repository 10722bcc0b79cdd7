// Mocha's spec reporter, closed by the line CI reads: `N passed, N failed`.
// Under `npm test` the type check runs beside mocha (scripts/test.mjs) and leaves its result in
// DOCKER_ECS_TYPECHECK_RESULT: the reporter waits for it at the end, prints its errors and counts
// it as one test, so the summary covers it and stays the last line.
'use strict';
const { existsSync, readFileSync } = require('node:fs');
const Mocha = require('mocha');
const { Spec } = Mocha.reporters;
const { EVENT_RUN_END } = Mocha.Runner.constants;

const TYPECHECK_WAIT_MS = 10 * 60 * 1000;

/** The type check's result, waiting for it (it normally finishes long before mocha). */
function typecheckResult(file) {
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + TYPECHECK_WAIT_MS;
  while (!existsSync(file)) {
    if (Date.now() > deadline) return { errors: 1, text: `typecheck: no result after ${TYPECHECK_WAIT_MS / 60000} minutes\n` };
    Atomics.wait(sleeper, 0, 0, 200);
  }
  return JSON.parse(readFileSync(file, 'utf8'));
}

class SummaryReporter extends Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(EVENT_RUN_END, () => {
      const s = runner.stats;
      let passes = s.passes;
      let failures = s.failures;
      const typecheckFile = process.env.DOCKER_ECS_TYPECHECK_RESULT;
      if (typecheckFile) {
        const result = typecheckResult(typecheckFile);
        process.stdout.write(`\n${result.text}`);
        if (result.errors > 0) failures += 1;
        else passes += 1;
      }
      // Printed at exit, after Spec's epilogue and after Ink's own exit hook (which restores
      // the terminal cursor with an escape sequence), so that it is really the last line.
      // Ink's cursor restore is a signal-exit "alwaysLast" hook; signal-exit (v3) keeps its
      // emitter on process, and an 'afterexit' listener added now runs after that one.
      const print = () => {
        const skipped = s.pending ? `, ${s.pending} skipped` : '';
        process.stdout.write(`\n${passes} passed, ${failures} failed${skipped}\n`);
      };
      const signalExit = process.__signal_exit_emitter__;
      if (signalExit && signalExit.count > 0) signalExit.on('afterexit', print);
      else process.once('exit', print);
    });
  }
}
module.exports = SummaryReporter;
