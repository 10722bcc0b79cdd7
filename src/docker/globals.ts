/**
 * The docker CLI's global flags. Docker hands a plugin its whole argv, so these arrive before the
 * plugin name (`docker --context prod ecs compose up`) and nowhere else: docker does not export
 * DOCKER_CONTEXT or DOCKER_CONFIG for them.
 */
export interface DockerGlobals {
  context?: string;
  host?: string;
  config?: string;
  debug: boolean;
  logLevel?: string;
  /** every global flag as it was typed, so a re-exec of docker or compose can pass them on */
  raw: string[];
}

/** Docker global flags that take a value, with their short aliases. */
export const VALUE_FLAGS: Readonly<Record<string, keyof DockerGlobals | undefined>> = Object.freeze({
  '--context': 'context',
  '-c': 'context',
  '--host': 'host',
  '-H': 'host',
  '--config': 'config',
  '--log-level': 'logLevel',
  '-l': 'logLevel',
  '--tlscacert': undefined,
  '--tlscert': undefined,
  '--tlskey': undefined,
});

export const BOOLEAN_FLAGS: Readonly<Record<string, keyof DockerGlobals | undefined>> = Object.freeze({
  '--debug': 'debug',
  '-D': 'debug',
  '--tls': undefined,
  '--tlsverify': undefined,
});

export function emptyGlobals(): DockerGlobals {
  return { debug: false, raw: [] };
}
