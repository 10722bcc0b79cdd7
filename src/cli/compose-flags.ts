import { Flags } from '@oclif/core';

/**
 * The flags every `docker ecs compose` command takes, as `docker compose` v2 spells them, with
 * the environment variables docker compose reads for them. The argv normaliser lets them stand
 * before the subcommand too (`compose -f a.yml up`, `compose --progress plain up`).
 */
export const PROGRESS_CHOICES = ['auto', 'tty', 'plain', 'json', 'quiet'] as const;
export const ANSI_CHOICES = ['never', 'always', 'auto'] as const;

export const composeFlags = {
  file: Flags.string({ char: 'f', multiple: true, description: 'compose file (repeatable; - reads stdin; env COMPOSE_FILE)', helpGroup: 'COMPOSE' }),
  'project-name': Flags.string({ char: 'p', description: 'project name (default: from the compose file or the folder; env COMPOSE_PROJECT_NAME)', helpGroup: 'COMPOSE' }),
  'project-directory': Flags.string({ description: 'project folder: where the compose file is looked for, .env read and relative paths resolved (default: the first compose file\'s folder)', helpGroup: 'COMPOSE' }),
  'env-file': Flags.string({ multiple: true, description: 'environment file for interpolation (repeatable; env COMPOSE_ENV_FILES, comma-separated)', helpGroup: 'COMPOSE' }),
  profile: Flags.string({ multiple: true, description: 'enable a profile (repeatable; env COMPOSE_PROFILES)', helpGroup: 'COMPOSE' }),
  progress: Flags.string({
    description: 'progress output: a live view on a terminal (auto, tty), plain lines, JSON lines, or only errors and the result (env COMPOSE_PROGRESS)',
    options: [...PROGRESS_CHOICES],
    env: 'COMPOSE_PROGRESS',
    helpGroup: 'COMPOSE',
  }),
  ansi: Flags.string({ description: 'control characters: never gives plain progress and no colours (env COMPOSE_ANSI)', options: [...ANSI_CHOICES], env: 'COMPOSE_ANSI', helpGroup: 'COMPOSE' }),
  parallel: Flags.integer({ description: 'accepted for docker compose compatibility: CloudFormation decides how many resources change at once (env COMPOSE_PARALLEL_LIMIT)', env: 'COMPOSE_PARALLEL_LIMIT', helpGroup: 'COMPOSE' }),
  'dry-run': Flags.boolean({ description: 'change nothing: `up` shows the change set it would execute; read-only commands run as usual', default: false, helpGroup: 'COMPOSE' }),
  compatibility: Flags.boolean({ description: 'accepted for docker compose compatibility (no effect)', default: false, helpGroup: 'COMPOSE', hidden: true }),
  'all-resources': Flags.boolean({ description: 'accepted for docker compose compatibility (no effect)', default: false, helpGroup: 'COMPOSE', hidden: true }),
};

export interface ComposeFlagValues {
  file?: string[];
  'project-name'?: string;
  'project-directory'?: string;
  'env-file'?: string[];
  profile?: string[];
  progress?: string;
  ansi?: string;
  parallel?: number;
  'dry-run'?: boolean;
}

export type ProgressChoice = (typeof PROGRESS_CHOICES)[number];

/**
 * The progress mode a command uses: `--progress` (or COMPOSE_PROGRESS), else `auto`; with
 * `--ansi never` (or COMPOSE_ANSI=never) an automatic choice never draws the terminal view,
 * as docker compose prints plain progress then.
 */
export function progressModeOf(flags: ComposeFlagValues): ProgressChoice {
  const chosen = (flags.progress ?? 'auto') as ProgressChoice;
  if ((chosen === 'auto' || chosen === 'tty') && flags.ansi === 'never') return 'plain';
  return chosen;
}

/** Whether output may carry colours: `--ansi always` forces them, `never` (or NO_COLOR) drops them. */
export function colourOf(flags: ComposeFlagValues, isTTY: boolean, env: NodeJS.ProcessEnv): boolean {
  if (flags.ansi === 'always') return true;
  if (flags.ansi === 'never' || env.NO_COLOR) return false;
  return isTTY;
}
