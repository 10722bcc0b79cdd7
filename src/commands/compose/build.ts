import { Command } from '@oclif/core';
import { composeFlags, progressModeOf } from '../../cli/compose-flags.js';
import { composeImages } from '../../cli/compose-images.js';

export default class ComposeBuild extends Command {
  static override summary = 'Build the images of services with build: with your Docker engine, tagged for the registry up pushes them to.';
  static override description =
    'Builds for each service\'s platform (default linux/amd64) with the engine of DOCKER_ECS_BUILD_CONTEXT, else DOCKER_HOST, else the "default" docker context. Tags each image with its ECR repository (the project\'s <project>/<service>, or the repository image: names); prints "SERVICE REFERENCE" per image. Nothing is pushed: `push` or `up` do that.';
  static override usage = 'compose build [SERVICE...]';
  static override strict = false;
  static override examples = ['docker ecs compose build', 'docker ecs compose build web'];
  static override flags = { ...composeFlags };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(ComposeBuild);
    await composeImages(flags, 'build', { services: argv as string[], progress: progressModeOf(flags), dryRun: flags['dry-run'] });
  }
}
