import { Command, Flags } from '@oclif/core';
import { currentConfigDir } from '../../cli/docker-env.js';
import { shimStatus } from '../../docker/compose-shim.js';

export default class ComposeShimStatus extends Command {
  static override summary = 'Say whether the compose shim is installed and where other contexts go.';
  static override flags = { format: Flags.string({ options: ['text', 'json'], default: 'text', description: 'output format' }) };

  async run(): Promise<void> {
    const { flags } = await this.parse(ComposeShimStatus);
    const s = shimStatus(currentConfigDir());
    if (flags.format === 'json') {
      process.stdout.write(JSON.stringify({ installed: s.installed, first: s.first, shim: s.paths.shimFile, realCompose: s.realCompose ?? null }) + '\n');
      return;
    }
    if (!s.installed) {
      process.stdout.write('The compose shim is not installed (`docker ecs compose-shim install` installs it).\n');
      return;
    }
    process.stdout.write(`The compose shim is installed: ${s.paths.shimFile}.\n`);
    if (!s.first) process.stdout.write('Warning: another folder comes before it in cliPluginsExtraDirs, so docker may not use it; run install again.\n');
    process.stdout.write(s.realCompose ? `Other contexts go to ${s.realCompose}.\n` : 'No real Docker Compose plugin was found for other contexts.\n');
  }
}
