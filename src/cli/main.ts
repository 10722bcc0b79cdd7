// The CLI's entry (the sh launcher answers `docker-cli-plugin-metadata` itself and execs Node on
// dist/cli/main.cjs for everything else, which runs the bundle through V8's code cache and calls
// main: scripts/build.mjs, src/cli/start.cjs). Nothing heavy is imported at top level.
import nodeModule from 'node:module';
import { normalizeArgv } from './argv.js';
import { setDockerGlobals } from './globals-state.js';
import { outcomeOf } from './exit.js';
import { terminalSafe } from '../ui/terminal-text.js';
import { installInterrupts } from '../aws/interrupt.js';

/**
 * Commands that watch connect the plugin socket at once; every other command only if it is
 * still running after this long, so that `--help` and `convert` never pay for the connection.
 */
const SOCKET_AFTER_MS = 150;

// Node 22.1+ keeps V8's compiled code of the ES modules loaded later (the AWS SDK, Ink) between
// starts, in the OS temp folder; Node 20 has no such API, and this is a no-op there.
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();

export async function main(argv: string[]): Promise<number> {
  // first: a signal, or docker closing the plugin socket, must find the one handler in place
  // node:net and node:child_process are not in Node's start-up snapshot: loaded only to connect
  const interrupts = installInterrupts(async (onClose) => (await import('./plugin-socket.js')).connectPluginSocket(onClose));
  setTimeout(() => interrupts.connectSocket(), SOCKET_AFTER_MS).unref();
  const invocation = normalizeArgv(argv);
  setDockerGlobals(invocation.globals);
  const debug = invocation.globals.debug || Boolean(process.env.DEBUG);
  try {
    if (invocation.kind === 'complete') {
      const { complete } = await import('./complete.js');
      process.stdout.write(complete(invocation.args));
      return 0;
    }
    // bundled (scripts/build.mjs), a dynamic import of CommonJS oclif gives only `default`
    const oclif: typeof import('@oclif/core') & { default?: typeof import('@oclif/core') } = await import('@oclif/core');
    const run = oclif.default?.run ?? oclif.run;
    await run(invocation.args, import.meta.url);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    const outcome = outcomeOf(error);
    if (outcome.message) {
      const lines = outcome.multiline ? outcome.message.split('\n') : [outcome.message];
      process.stderr.write(`${lines.map(terminalSafe).join('\n')}\n`);
    }
    if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    return outcome.code;
  }
}

