import { Command, Flags } from '@oclif/core';
import { composeFlags } from '../../cli/compose-flags.js';
import { renderComposeVersion, type VersionFormat } from '../../cli/compose-version.js';

export default class ComposeVersion extends Command {
  static override summary = 'Show the docker compose version docker-ecs follows, and its own version.';
  static override description = 'Answers `docker compose version` through the compose shim on an ECS context, so tools that probe compose keep working. Needs no AWS call.';
  static override examples = ['docker ecs compose version', 'docker compose version --short', 'docker ecs compose version --format json'];
  static override flags = {
    ...composeFlags,
    // `-f` after `version` is --format, as in docker compose; the compose file is -f before it
    file: Flags.string({ multiple: true, description: 'compose file (accepted; version reads none)', helpGroup: 'COMPOSE' }),
    format: Flags.string({ char: 'f', description: 'output format', options: ['pretty', 'json'], default: 'pretty' }),
    short: Flags.boolean({ description: 'only the version number', default: false }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(ComposeVersion);
    process.stdout.write(renderComposeVersion({ format: flags.format as VersionFormat, short: flags.short, pluginVersion: this.config.version }));
  }
}
