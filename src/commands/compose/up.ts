import { Command, Flags } from '@oclif/core';
import { composeFlags, progressModeOf } from '../../cli/compose-flags.js';
import { composeUp } from '../../cli/compose-deploy.js';

export default class ComposeUp extends Command {
  static override summary = 'Deploy the compose project to Amazon ECS (create or update its CloudFormation stack).';
  static override description =
    'Shows the deployment live and prints the published endpoints. Ctrl-C stops watching only: the deployment goes on in AWS, nothing is cancelled or deleted.';
  static override examples = ['docker ecs compose up', 'docker ecs compose up --dry-run', 'docker ecs compose -f prod.yaml up -d --progress plain'];
  static override flags = {
    ...composeFlags,
    detach: Flags.boolean({ char: 'd', description: 'return once the deployment has started', default: false }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(ComposeUp);
    await composeUp(flags, { detach: flags.detach, dryRun: flags['dry-run'], progress: progressModeOf(flags) });
  }
}
