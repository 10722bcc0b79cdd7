import { emptyGlobals, type DockerGlobals } from '../docker/globals.js';

/**
 * Docker's global flags for this process, set once by the entry point before oclif parses
 * the command (oclif never sees them: they stood before the plugin name).
 */
let current: DockerGlobals = emptyGlobals();

export function setDockerGlobals(globals: DockerGlobals): void {
  current = globals;
}

export function dockerGlobals(): DockerGlobals {
  return current;
}
