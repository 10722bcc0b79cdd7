import { Command } from '@oclif/core';
import { composeFlags } from '../../cli/compose-flags.js';
import { composeDown } from '../../cli/compose-deploy.js';
import { progressFlag } from './up.js';

export default class ComposeDown extends Command {
  static override summary = 'Delete the project\'s stack; EFS file systems (your data) are kept and reported.';
  static override examples = ['docker ecs compose down', 'docker ecs compose down -p shop'];
  static override flags = { ...composeFlags, progress: progressFlag };

  async run(): Promise<void> {
    const { flags } = await this.parse(ComposeDown);
    await composeDown(flags, flags.progress);
  }
}
