import { Command, Flags } from '@oclif/core';
import { composeFlags } from '../../cli/compose-flags.js';
import { composeControl } from '../../cli/compose-control.js';
import { parseScaleArgs } from '../../aws/service-control.js';

export default class ComposeScale extends Command {
  static override summary = 'Set the number of tasks of services (SERVICE=REPLICAS...).';
  static override description = 'Changes the ECS desired counts and waits until they run. The next `up` sets the counts of the compose file again (deploy.replicas), as with docker compose.';
  static override usage = 'compose scale SERVICE=REPLICAS...';
  static override examples = ['docker ecs compose scale web=3', 'docker ecs compose scale web=2 worker=0'];
  static override strict = false;
  static override flags = {
    ...composeFlags,
    'no-deps': Flags.boolean({ description: 'accepted: only the named services are scaled anyway', default: false }),
  };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(ComposeScale);
    await composeControl(flags, [], { kind: 'scale', counts: parseScaleArgs(argv as string[]) });
  }
}
