import { Command, Flags } from '@oclif/core';
import { currentConfigDir } from '../../cli/docker-env.js';
import { dockerGlobals } from '../../cli/globals-state.js';
import { readDockerConfig } from '../../docker/config-dir.js';
import { listContexts } from '../../docker/context-store.js';
import { resolveCurrentContext } from '../../docker/current-context.js';
import { ecsEndpointOf, isEcsContext } from '../../docker/ecs-context.js';
import { formatTable } from '../../ui/table.js';

export default class ContextLs extends Command {
  static override summary = 'List the Amazon ECS contexts.';
  static override flags = {
    format: Flags.string({ description: 'output format', options: ['table', 'json'], default: 'table' }),
    quiet: Flags.boolean({ char: 'q', description: 'only names', default: false }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(ContextLs);
    const configDir = currentConfigDir();
    const current = resolveCurrentContext(dockerGlobals(), process.env, readDockerConfig(configDir)).name;
    const rows = listContexts(configDir)
      .filter(isEcsContext)
      .map((meta) => {
        const ecs = ecsEndpointOf(meta);
        return {
          Name: meta.Name,
          Current: meta.Name === current,
          Description: meta.Metadata.Description ?? '',
          Region: ecs.Region ?? '',
          Credentials: ecs.CredentialsFromEnv ? 'environment' : `profile ${ecs.Profile ?? 'default'}`,
        };
      });
    if (flags.quiet) {
      for (const r of rows) process.stdout.write(`${r.Name}\n`);
    } else if (flags.format === 'json') {
      // one object per line, like `docker context ls --format json`
      for (const r of rows) process.stdout.write(`${JSON.stringify(r)}\n`);
    } else {
      process.stdout.write(
        formatTable(
          ['NAME', 'REGION', 'CREDENTIALS', 'DESCRIPTION'],
          rows.map((r) => [r.Current ? `${r.Name} *` : r.Name, r.Region, r.Credentials, r.Description]),
        ),
      );
    }
  }
}
