import { Command } from '@oclif/core';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { currentConfigDir } from '../../cli/docker-env.js';
import { packageRoot } from '../../cli/package-root.js';
import { installIntegration, integrationStatus, pathLines } from '../../docker/integration.js';

export default class IntegrationInstall extends Command {
  static override summary = 'Make `docker context create ecs NAME` and plain `docker compose` work with Amazon ECS (opt-in).';
  static override description =
    'Installs the compose shim (as `docker ecs compose-shim install` does) and a small `docker` wrapper in a folder of its own. Put that folder first on PATH with the line printed for your shell; no shell file is changed. The wrapper turns `docker context create ecs NAME [flags]` into `docker ecs context create NAME [flags]` and runs the real docker, unchanged, for everything else.';

  async run(): Promise<void> {
    await this.parse(IntegrationInstall);
    const configDir = currentConfigDir();
    const root = packageRoot();
    const installedPlugin = join(configDir, 'cli-plugins', 'docker-ecs');
    const plugin = existsSync(installedPlugin) ? installedPlugin : join(root, 'plugin-metadata', 'docker-ecs');
    const paths = installIntegration(configDir, {
      wrapperSource: join(root, 'plugin-metadata', 'docker'),
      shimSource: join(root, 'plugin-metadata', 'docker-compose'),
      ecsPlugin: plugin,
    });
    const status = integrationStatus(configDir, process.env);
    const out: string[] = [
      `Installed the compose shim (${status.shim.paths.shimFile}) and the docker wrapper (${paths.wrapper}).`,
      status.firstOnPath
        ? `${paths.binDir} is already first on PATH: \`docker context create ecs NAME\` works now.`
        : `Put ${paths.binDir} first on PATH (this changes no file by itself); add the line for your shell to its start-up file, then open a new shell:`,
    ];
    if (!status.firstOnPath) {
      for (const l of pathLines(paths.binDir)) out.push(`  ${l.shell.padEnd(5)} (${l.file}):  ${l.line}`);
    }
    out.push('Remove everything again with `docker ecs integration uninstall`.');
    process.stdout.write(out.join('\n') + '\n');
  }
}
