import { Command } from '@oclif/core';
import { currentConfigDir } from '../../cli/docker-env.js';
import { uninstallShim } from '../../docker/compose-shim.js';

export default class ComposeShimUninstall extends Command {
  static override summary = 'Remove the compose shim; `docker compose` is plain Docker Compose again.';

  async run(): Promise<void> {
    await this.parse(ComposeShimUninstall);
    const { removed, paths } = uninstallShim(currentConfigDir());
    process.stdout.write(removed ? `Removed the compose shim (${paths.shimDir}).\n` : 'The compose shim is not installed; nothing to remove.\n');
  }
}
