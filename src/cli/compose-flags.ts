import { Flags } from '@oclif/core';

/**
 * The flags every `docker ecs compose` command takes, as `docker compose` spells them. The
 * argv normaliser lets them stand before the subcommand too (`compose -f a.yml up`).
 */
export const composeFlags = {
  file: Flags.string({ char: 'f', multiple: true, description: 'compose file (repeatable; - reads stdin)', helpGroup: 'COMPOSE' }),
  'project-name': Flags.string({ char: 'p', description: 'project name (default: from the compose file or the folder)', helpGroup: 'COMPOSE' }),
  'project-directory': Flags.string({ description: 'project folder (default: the first compose file\'s folder)', helpGroup: 'COMPOSE' }),
  'env-file': Flags.string({ multiple: true, description: 'environment file for interpolation (repeatable)', helpGroup: 'COMPOSE' }),
  profile: Flags.string({ multiple: true, description: 'enable a profile (repeatable)', helpGroup: 'COMPOSE' }),
};

export interface ComposeFlagValues {
  file?: string[];
  'project-name'?: string;
  'project-directory'?: string;
  'env-file'?: string[];
  profile?: string[];
}
