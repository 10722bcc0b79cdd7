import { Command } from '@oclif/core';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { currentConfigDir } from '../../cli/docker-env.js';
import { packageRoot } from '../../cli/package-root.js';
import { installShim, shimStatus } from '../../docker/compose-shim.js';

export default class ComposeShimInstall extends Command {
  static override summary = 'Make plain `docker compose` send Amazon ECS contexts to `docker ecs compose` (opt-in).';
  static override description =
    'Installs a small docker-compose shim in its own folder, first in cliPluginsExtraDirs. On an ECS context `docker compose up` runs `docker ecs compose up`; on any other context the real Docker Compose runs, unchanged.';

  async run(): Promise<void> {
    await this.parse(ComposeShimInstall);
    const configDir = currentConfigDir();
    const installedPlugin = join(configDir, 'cli-plugins', 'docker-ecs');
    const root = packageRoot();
    const plugin = existsSync(installedPlugin) ? installedPlugin : join(root, 'plugin-metadata', 'docker-ecs');
    const paths = installShim(configDir, join(root, 'plugin-metadata', 'docker-compose'), plugin);
    const status = shimStatus(configDir);
    process.stdout.write(`Installed the compose shim as ${paths.shimFile} (first in cliPluginsExtraDirs of ${join(configDir, 'config.json')}).\n`);
    process.stdout.write(
      status.realCompose
        ? `Other contexts go to ${status.realCompose}.\n`
        : 'No Docker Compose plugin was found for other contexts; `docker compose` on them will say so until one is installed.\n',
    );
  }
}
