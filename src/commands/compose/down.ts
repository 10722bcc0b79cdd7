import { Command } from '@oclif/core';
import { composeFlags, progressModeOf } from '../../cli/compose-flags.js';
import { composeDown } from '../../cli/compose-deploy.js';
import { UserError } from '../../errors.js';

export default class ComposeDown extends Command {
  static override summary = 'Delete the project\'s stack; EFS file systems (your data) are kept and reported.';
  static override examples = ['docker ecs compose down', 'docker ecs compose down -p shop'];
  static override flags = { ...composeFlags };

  async run(): Promise<void> {
    const { flags } = await this.parse(ComposeDown);
    if (flags['dry-run']) {
      throw new UserError('down --dry-run is not supported: `docker ecs compose ps` shows what runs in the stack, and `down` without --dry-run deletes it.');
    }
    await composeDown(flags, progressModeOf(flags));
  }
}
