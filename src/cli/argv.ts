import { BOOLEAN_FLAGS, VALUE_FLAGS, emptyGlobals, type DockerGlobals } from '../docker/globals.js';

export const PLUGIN_NAME = 'ecs';

export type Invocation =
  | { kind: 'run'; args: string[]; globals: DockerGlobals }
  | { kind: 'complete'; args: string[]; globals: DockerGlobals };

/** Compose's own flags that take a value (docker compose v2's globals): they may stand before the subcommand. */
const COMPOSE_VALUE_FLAGS = new Set(['-f', '--file', '-p', '--project-name', '--env-file', '--profile', '--project-directory', '--progress', '--ansi', '--parallel']);
/**
 * Short forms are spelled out when they move behind the subcommand: there `-f` would mean
 * `logs --follow`, as in docker compose, where `-f` before the subcommand is `--file`.
 */
const LONG_FORM: Readonly<Record<string, string>> = { '-f': '--file', '-p': '--project-name' };

/**
 * Turns what docker hands the plugin into what oclif expects. Docker passes its whole argv:
 * `[globals...] ecs <command...>`, or `help ecs <command...>` for `docker help ecs`, or
 * `__complete ecs <args...>` for shell completion. We keep the globals (they decide the
 * context), drop the plugin name, and move a compose subcommand in front of compose flags
 * typed before it (`compose -f a.yml up` -> `compose up -f a.yml`), as docker compose allows.
 */
export function normalizeArgv(argv: readonly string[]): Invocation {
  const globals = emptyGlobals();
  let i = 0;
  for (; i < argv.length; i++) {
    const token = argv[i]!;
    const eq = token.indexOf('=');
    const flag = token.startsWith('--') && eq > 0 ? token.slice(0, eq) : token;
    if (flag in VALUE_FLAGS) {
      const value = flag === token ? argv[++i] : token.slice(eq + 1);
      globals.raw.push(flag, value ?? '');
      const key = VALUE_FLAGS[flag];
      if (key && value !== undefined) (globals as unknown as Record<string, unknown>)[key] = value;
      continue;
    }
    if (flag in BOOLEAN_FLAGS) {
      globals.raw.push(token);
      if (BOOLEAN_FLAGS[flag] === 'debug') globals.debug = token.endsWith('=false') ? false : true;
      continue;
    }
    break;
  }
  let rest = argv.slice(i);
  let kind: Invocation['kind'] = 'run';
  if (rest[0] === 'help' && (rest[1] === PLUGIN_NAME || rest[1] === 'compose')) {
    // `docker help ecs ...`, and `docker help compose ...` handed over by the compose shim
    rest = [...rest.slice(rest[1] === PLUGIN_NAME ? 2 : 1), '--help'];
  } else if (rest[0] === '__complete' && rest[1] === PLUGIN_NAME) {
    kind = 'complete';
    rest = rest.slice(2);
  } else if (rest[0] === PLUGIN_NAME) {
    rest = rest.slice(1);
  }
  return { kind, args: hoistComposeSubcommand(rest), globals };
}

function hoistComposeSubcommand(args: string[]): string[] {
  if (args[0] !== 'compose') return args;
  for (let j = 1; j < args.length; j++) {
    const token = args[j]!;
    if (token === '--') return args;
    if (COMPOSE_VALUE_FLAGS.has(token)) {
      j++;
      continue;
    }
    if (token.startsWith('-')) continue;
    if (j === 1) return args;
    const moved = args.slice(1, j).map((a, k, all) => (LONG_FORM[a] && (k === 0 || !COMPOSE_VALUE_FLAGS.has(all[k - 1]!)) ? LONG_FORM[a]! : a));
    return ['compose', token, ...moved, ...args.slice(j + 1)];
  }
  return args;
}
