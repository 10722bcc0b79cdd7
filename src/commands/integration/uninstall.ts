import { Command } from '@oclif/core';
import { currentConfigDir } from '../../cli/docker-env.js';
import { uninstallIntegration } from '../../docker/integration.js';

export default class IntegrationUninstall extends Command {
  static override summary = 'Remove the docker wrapper and the compose shim; config.json is left as it was before install.';

  async run(): Promise<void> {
    await this.parse(IntegrationUninstall);
    const { removed, paths } = uninstallIntegration(currentConfigDir());
    process.stdout.write(
      removed
        ? `Removed the docker wrapper (${paths.dir}) and the compose shim. If you added ${paths.binDir} to PATH in a shell start-up file, remove that line too.\n`
        : 'The integration is not installed; nothing to remove.\n',
    );
  }
}
