import { Command } from '@oclif/core';
import { composeFlags, progressModeOf } from '../../cli/compose-flags.js';
import { composeImages } from '../../cli/compose-images.js';

export default class ComposePush extends Command {
  static override summary = 'Push the built images of services with build: to their ECR repositories (created when missing).';
  static override description =
    'Pushes what `docker ecs compose build` tagged, logged in with ECR GetAuthorizationToken through a temporary docker config (your docker config is not changed); an image the repository already holds is not pushed again. Prints "SERVICE REPOSITORY@DIGEST" per image.';
  static override usage = 'compose push [SERVICE...]';
  static override strict = false;
  static override examples = ['docker ecs compose push', 'docker ecs compose build && docker ecs compose push'];
  static override flags = { ...composeFlags };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(ComposePush);
    await composeImages(flags, 'push', { services: argv as string[], progress: progressModeOf(flags), dryRun: flags['dry-run'] });
  }
}
