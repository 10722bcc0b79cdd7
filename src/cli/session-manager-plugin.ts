/**
 * AWS's Session Manager plugin, which carries an ECS Exec session (a websocket to ssmmessages)
 * between the terminal and the container. Found on PATH before ExecuteCommand is called, as the
 * AWS CLI checks for it first, so no session is opened for nothing; started with the terminal
 * (stdio inherited), and its exit code is ours.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { UserError } from '../errors.js';

export const PLUGIN = 'session-manager-plugin';
export const INSTALL_URL = 'https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-install-plugin.html';

export function findSessionManagerPlugin(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const names = platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';').map((x) => `${PLUGIN}${x.toLowerCase()}`) : [PLUGIN];
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const name of names) {
      const file = join(dir, name);
      try {
        if (!statSync(file).isFile()) continue;
        accessSync(file, constants.X_OK);
        return file;
      } catch {
        // not here
      }
    }
  }
  throw new UserError(`exec needs AWS's Session Manager plugin (${PLUGIN}), which is not on PATH; install it as ${INSTALL_URL} describes, then run exec again.`);
}

/**
 * Runs the plugin with the terminal until it exits, and returns its exit code (128 + the signal
 * number when a signal ended it). `stop` aborting (SIGTERM to us, docker closing the plugin
 * socket) ends the session: the plugin gets SIGTERM. A Ctrl-C typed in the session reaches the
 * remote process through the terminal, not us.
 */
export function runSessionManagerPlugin(file: string, args: readonly string[], stop: AbortSignal): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: 'inherit' });
    const onStop = (): void => void child.kill('SIGTERM');
    stop.addEventListener('abort', onStop, { once: true });
    child.on('error', (e) => {
      stop.removeEventListener('abort', onStop);
      reject(new UserError(`${PLUGIN} could not be started (${(e as NodeJS.ErrnoException).code ?? e.message}); reinstall it as ${INSTALL_URL} describes.`));
    });
    child.on('exit', (code, signal) => {
      stop.removeEventListener('abort', onStop);
      const signals: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15 };
      resolve(code ?? 128 + (signal ? (signals[signal] ?? 1) : 1));
    });
  });
}
