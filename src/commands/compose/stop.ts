import { Command, Flags } from '@oclif/core';
import { composeFlags } from '../../cli/compose-flags.js';
import { composeControl } from '../../cli/compose-control.js';

export default class ComposeStop extends Command {
  static override summary = 'Stop services: their desired count goes to 0, and the count they had is remembered for `start`.';
  static override description = 'The stack, load balancer and volumes stay. Waits until the tasks have stopped. The next `up` sets the counts of the compose file again.';
  static override usage = 'compose stop [SERVICE...]';
  static override examples = ['docker ecs compose stop', 'docker ecs compose stop worker'];
  static override strict = false;
  static override flags = {
    ...composeFlags,
    timeout: Flags.integer({ char: 't', description: 'accepted for docker compose compatibility: ECS waits the task\'s stop_grace_period (at most 120 s on Fargate)' }),
  };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(ComposeStop);
    await composeControl(flags, argv as string[], { kind: 'stop' });
  }
}
