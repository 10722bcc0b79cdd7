import { Command } from '@oclif/core';
import { composeFlags } from '../../cli/compose-flags.js';
import { composeControl } from '../../cli/compose-control.js';

export default class ComposeStart extends Command {
  static override summary = 'Start stopped services again, with the desired count they had before `stop`.';
  static override description = 'A service stopped some other way gets the desired count of the deployed template. Waits until its tasks run.';
  static override usage = 'compose start [SERVICE...]';
  static override examples = ['docker ecs compose start', 'docker ecs compose start worker'];
  static override strict = false;
  static override flags = { ...composeFlags };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(ComposeStart);
    await composeControl(flags, argv as string[], { kind: 'start' });
  }
}
