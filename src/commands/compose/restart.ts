import { Command, Flags } from '@oclif/core';
import { composeFlags } from '../../cli/compose-flags.js';
import { composeControl } from '../../cli/compose-control.js';

export default class ComposeRestart extends Command {
  static override summary = 'Restart services: a new ECS deployment replaces their tasks with fresh ones.';
  static override description = 'Same task definition, new tasks (images with a moving tag are pulled again); the old tasks are drained as in a rollout. Waits until it completes.';
  static override usage = 'compose restart [SERVICE...]';
  static override examples = ['docker ecs compose restart', 'docker ecs compose restart web'];
  static override strict = false;
  static override flags = {
    ...composeFlags,
    timeout: Flags.integer({ char: 't', description: 'accepted for docker compose compatibility: ECS waits the task\'s stop_grace_period' }),
    'no-deps': Flags.boolean({ description: 'accepted: only the named services are restarted anyway', default: false }),
  };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(ComposeRestart);
    await composeControl(flags, argv as string[], { kind: 'restart' });
  }
}
