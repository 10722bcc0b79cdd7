import { Command, Flags } from '@oclif/core';
import { composeFlags } from '../../cli/compose-flags.js';
import { dockerGlobals } from '../../cli/globals-state.js';
import { projectNameFrom } from '../../cli/project-name.js';
import { createAwsClients } from '../../aws/clients.js';
import { listProjectTasks } from '../../aws/ps.js';
import { renderPs } from '../../ui/ps.js';
import { resolveEcsTarget } from '../../docker/ecs-context.js';

export default class ComposePs extends Command {
  static override summary = 'List the tasks of the project\'s services.';
  static override flags = {
    ...composeFlags,
    all: Flags.boolean({ char: 'a', description: 'also recently stopped tasks, with their stop reason', default: false }),
    format: Flags.option({ description: 'output format', options: ['table', 'json'] as const, default: 'table' })(),
    quiet: Flags.boolean({ char: 'q', description: 'only task IDs', default: false }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(ComposePs);
    const project = await projectNameFrom(flags);
    const target = await resolveEcsTarget(dockerGlobals(), process.env);
    const result = await listProjectTasks(createAwsClients(target), { project, all: flags.all });
    // like `docker compose ps` for a project with nothing running: the header alone, exit 0
    if (!result.found) process.stderr.write(`No stack named ${project} in ${target.region}: nothing is deployed for this project there.\n`);
    process.stdout.write(renderPs(result.rows, flags.format, flags.quiet));
  }
}
