import { Command, Flags } from '@oclif/core';
import { composeFlags } from '../../cli/compose-flags.js';
import { dockerGlobals } from '../../cli/globals-state.js';
import { createAwsClients } from '../../aws/clients.js';
import { listProjects, parseLsFilter, visibleProjects } from '../../aws/ls.js';
import { renderProjects } from '../../ui/ls.js';
import { resolveEcsTarget } from '../../docker/ecs-context.js';

export default class ComposeLs extends Command {
  static override summary = 'List the compose projects deployed in the context\'s region.';
  static override flags = {
    // accepted wherever they stand (`compose -f a.yml ls`), as docker compose does; ls lists every project
    ...composeFlags,
    all: Flags.boolean({ char: 'a', description: 'also projects with nothing running: failed first deployments, stacks being deleted or that failed to delete', default: false }),
    filter: Flags.string({ description: 'filter by name: name=VALUE (substring)', multiple: true }),
    format: Flags.option({ description: 'output format', options: ['table', 'json'] as const, default: 'table' })(),
    quiet: Flags.boolean({ char: 'q', description: 'only project names', default: false }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(ComposeLs);
    const filter = parseLsFilter(flags.filter);
    const target = await resolveEcsTarget(dockerGlobals(), process.env);
    const rows = await listProjects(createAwsClients(target), filter);
    process.stdout.write(renderProjects(visibleProjects(rows, flags.all), flags.format, flags.quiet));
  }
}
