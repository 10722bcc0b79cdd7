// Entry point of the plugin (the sh launcher answers `docker-cli-plugin-metadata` itself and
// execs Node on this file for everything else). Nothing heavy is imported at top level.
import { normalizeArgv } from './argv.js';
import { setDockerGlobals } from './globals-state.js';
import { outcomeOf } from './exit.js';
import { terminalSafe } from '../ui/terminal-text.js';

async function main(argv: string[]): Promise<number> {
  const invocation = normalizeArgv(argv);
  setDockerGlobals(invocation.globals);
  const debug = invocation.globals.debug || Boolean(process.env.DEBUG);
  try {
    if (invocation.kind === 'complete') {
      const { complete } = await import('./complete.js');
      process.stdout.write(complete(invocation.args));
      return 0;
    }
    const { run } = await import('@oclif/core');
    await run(invocation.args, import.meta.url);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    const outcome = outcomeOf(error);
    if (outcome.message) process.stderr.write(`${terminalSafe(outcome.message)}\n`);
    if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    return outcome.code;
  }
}

process.exitCode = await main(process.argv.slice(2));
