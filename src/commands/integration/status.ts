import { Command, Flags } from '@oclif/core';
import { currentConfigDir } from '../../cli/docker-env.js';
import { integrationStatus, pathLines } from '../../docker/integration.js';

export default class IntegrationStatus extends Command {
  static override summary = 'Say whether the docker wrapper and the compose shim are installed, and whether the wrapper is first on PATH.';
  static override flags = { format: Flags.string({ options: ['text', 'json'], default: 'text', description: 'output format' }) };

  async run(): Promise<void> {
    const { flags } = await this.parse(IntegrationStatus);
    const s = integrationStatus(currentConfigDir(), process.env);
    if (flags.format === 'json') {
      process.stdout.write(
        JSON.stringify({
          installed: s.wrapperInstalled && s.shim.installed,
          wrapper: { installed: s.wrapperInstalled, path: s.paths.wrapper, firstOnPath: s.firstOnPath, realDocker: s.realDocker ?? null },
          composeShim: { installed: s.shim.installed, first: s.shim.first, path: s.shim.paths.shimFile, realCompose: s.shim.realCompose ?? null },
        }) + '\n',
      );
      return;
    }
    const out: string[] = [];
    if (!s.wrapperInstalled) out.push('The docker wrapper is not installed (`docker ecs integration install` installs it).');
    else {
      out.push(`The docker wrapper is installed: ${s.paths.wrapper}.`);
      if (s.firstOnPath) out.push(`Its folder is first on PATH; it hands other commands to ${s.realDocker ?? 'no docker (none found after it on PATH)'}.`);
      else {
        out.push(`Its folder is not first on PATH, so \`docker context create ecs\` does not reach it yet; add the line for your shell:`);
        for (const l of pathLines(s.paths.binDir)) out.push(`  ${l.shell.padEnd(5)} (${l.file}):  ${l.line}`);
      }
    }
    if (!s.shim.installed) out.push('The compose shim is not installed, so plain `docker compose` does not reach ECS contexts.');
    else {
      out.push(`The compose shim is installed: ${s.shim.paths.shimFile}.`);
      if (!s.shim.first) out.push('Warning: another folder comes before it in cliPluginsExtraDirs, so docker may not use it; run install again.');
      out.push(s.shim.realCompose ? `Other contexts go to ${s.shim.realCompose}.` : 'No real Docker Compose plugin was found for other contexts.');
    }
    process.stdout.write(out.join('\n') + '\n');
  }
}
