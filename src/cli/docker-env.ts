import { dockerConfigDir } from '../docker/config-dir.js';
import { dockerGlobals } from './globals-state.js';

/** The docker config folder this invocation uses (--config, DOCKER_CONFIG, ~/.docker). */
export function currentConfigDir(): string {
  return dockerConfigDir(dockerGlobals(), process.env);
}
