import { Command, Flags } from '@oclif/core';
import { composeFlags, progressModeOf } from '../../cli/compose-flags.js';
import { composeUp } from '../../cli/compose-deploy.js';
import { parseScaleArgs } from '../../aws/service-control.js';

export default class ComposeUp extends Command {
  static override summary = 'Deploy the compose project to Amazon ECS (create or update its CloudFormation stack).';
  static override description =
    'Shows the deployment live and prints the published endpoints. Ctrl-C stops watching only: the deployment goes on in AWS, nothing is cancelled or deleted. With SERVICE... only those services and what they depend on are deployed (refused when the stack already runs others, since one stack holds the whole project).';
  static override usage = 'compose up [SERVICE...] [-d] [--scale SERVICE=N]... [--build | --no-build] [--dry-run] [--progress MODE]';
  static override strict = false;
  static override examples = ['docker ecs compose up', 'docker ecs compose up --dry-run', 'docker ecs compose -f prod.yaml up -d --progress plain', 'docker ecs compose up --scale web=3', 'docker ecs compose up web'];
  static override flags = {
    ...composeFlags,
    detach: Flags.boolean({ char: 'd', description: 'return once the deployment has started', default: false }),
    scale: Flags.string({ multiple: true, description: 'SERVICE=N: run N tasks of the service in this deployment (instead of deploy.replicas)' }),
    build: Flags.boolean({ description: 'services with build: push the image even when the registry already holds it', default: false, exclusive: ['no-build'] }),
    'no-build': Flags.boolean({ description: 'services with build: build nothing, deploy the image already pushed', default: false }),
  };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(ComposeUp);
    await composeUp(flags, {
      detach: flags.detach,
      dryRun: flags['dry-run'],
      progress: progressModeOf(flags),
      services: argv as string[],
      scale: flags.scale ? parseScaleArgs(flags.scale, '--scale') : [],
      build: flags['no-build'] ? 'never' : flags.build ? 'always' : 'changed',
    });
  }
}
